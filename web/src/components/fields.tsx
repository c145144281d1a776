/**
 * Form fields and dialogs: react-aria-components (labels, descriptions, errors, keyboard, focus
 * management) with the console's styles. Pages compose these; none draws its own widget.
 */
import type { ReactNode } from 'react';
import {
  Button as AriaButton,
  Dialog,
  FieldError,
  Heading,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Modal,
  ModalOverlay,
  NumberField,
  Popover,
  Select,
  SelectValue,
  Text,
  TextField,
} from 'react-aria-components';

export function TextInput(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  description?: string;
  type?: 'text' | 'email' | 'search';
  isRequired?: boolean;
  autoFocus?: boolean;
  name?: string;
  placeholder?: string;
  errorMessage?: string;
  isReadOnly?: boolean;
}) {
  return (
    <TextField
      className="field"
      value={props.value}
      onChange={props.onChange}
      type={props.type ?? 'text'}
      isRequired={props.isRequired}
      isReadOnly={props.isReadOnly}
      autoFocus={props.autoFocus}
      name={props.name}
      isInvalid={props.errorMessage !== undefined}
      validationBehavior="aria"
    >
      <Label>{props.label}</Label>
      <Input placeholder={props.placeholder} />
      {props.description && <Text slot="description">{props.description}</Text>}
      <FieldError>{props.errorMessage}</FieldError>
    </TextField>
  );
}

export function NumberInput(props: {
  label: string;
  value: number;
  onChange: (value: number) => void;
  minValue?: number;
  maxValue?: number;
  description?: string;
  isRequired?: boolean;
  autoFocus?: boolean;
}) {
  return (
    <NumberField
      className="field"
      value={props.value}
      onChange={props.onChange}
      minValue={props.minValue}
      maxValue={props.maxValue}
      isRequired={props.isRequired}
      autoFocus={props.autoFocus}
      formatOptions={{ useGrouping: false, maximumFractionDigits: 0 }}
      validationBehavior="aria"
    >
      <Label>{props.label}</Label>
      <Input />
      {props.description && <Text slot="description">{props.description}</Text>}
    </NumberField>
  );
}

export interface Choice {
  id: string;
  label: string;
}

export function SelectInput(props: {
  label: string;
  choices: Choice[];
  value: string;
  onChange: (value: string) => void;
  description?: string;
  isDisabled?: boolean;
}) {
  return (
    <Select
      className="field"
      selectedKey={props.value}
      onSelectionChange={(key) => key !== null && props.onChange(String(key))}
      isDisabled={props.isDisabled}
    >
      <Label>{props.label}</Label>
      <AriaButton className="select-button">
        <SelectValue />
        <span aria-hidden="true" className="select-arrow">
          ▾
        </span>
      </AriaButton>
      {props.description && <Text slot="description">{props.description}</Text>}
      <Popover className="popover">
        <ListBox className="listbox" items={props.choices}>
          {(choice) => (
            <ListBoxItem className="listbox-item" id={choice.id} textValue={choice.label}>
              {choice.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}

/** A modal dialog; `children` gets `close`. */
export function ModalDialog(props: {
  title: string;
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  children: (close: () => void) => ReactNode;
  role?: 'dialog' | 'alertdialog';
}) {
  return (
    <ModalOverlay className="modal-overlay" isOpen={props.isOpen} onOpenChange={props.onOpenChange} isDismissable>
      <Modal className="modal">
        <Dialog className="dialog" role={props.role}>
          {({ close }) => (
            <>
              <Heading slot="title">{props.title}</Heading>
              {props.children(close)}
            </>
          )}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

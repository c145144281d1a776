/**
 * The statistics area: a card per area and one for the totals, read from GET /summary,
 * refreshed on focus and every 30 s.
 */
import { useQuery } from '@tanstack/react-query';
import { Label, Meter } from 'react-aria-components';
import { api } from '../api/client.ts';
import type { AreaSummary } from '../api/types.ts';
import { Button, ErrorNotice, PageHeader } from '../components/ui.tsx';
import { useConsole } from '../settings.ts';

export const SUMMARY_REFRESH_MS = 30_000;

type Level = 'ok' | 'warning' | 'full';

/** Amber from the warning share of the limit (as the alert emails), red when no seat is free. */
export function usageLevel(figures: Pick<AreaSummary, 'limit' | 'active' | 'available'>, warningShare: number): Level {
  if (figures.limit > 0 && figures.available <= 0) return 'full';
  if (figures.limit === 0) return 'full';
  return figures.active / figures.limit >= warningShare ? 'warning' : 'ok';
}

const LEVEL_TEXT: Record<Level, string> = { ok: '', warning: 'Nearly full', full: 'Full' };

const FIGURES: { key: keyof Omit<AreaSummary, 'area'>; label: string }[] = [
  { key: 'limit', label: 'Limit' },
  { key: 'active', label: 'Seats in use' },
  { key: 'available', label: 'Free seats' },
  { key: 'blocked', label: 'Blocked' },
  { key: 'pending', label: 'Waiting for a licence' },
  { key: 'exempt', label: 'Exempt' },
  { key: 'refused', label: 'Creations refused since full' },
];

function AreaCard({ title, figures, warningShare }: { title: string; figures: Omit<AreaSummary, 'area'>; warningShare: number }) {
  const level = usageLevel(figures, warningShare);
  const id = `card-${title.replace(/\W+/g, '-')}`;
  return (
    <section className={`card card-${level}`} aria-labelledby={id}>
      <h2 id={id}>
        {title}
        {LEVEL_TEXT[level] && <span className={`badge badge-${level}`}>{LEVEL_TEXT[level]}</span>}
      </h2>
      <Meter
        className={`meter meter-${level}`}
        value={figures.active}
        minValue={0}
        maxValue={Math.max(figures.limit, 1)}
        valueLabel={`${figures.active} of ${figures.limit}`}
      >
        {({ percentage, valueText }) => (
          <>
            <div className="meter-labels">
              <Label>Seats in use</Label>
              <span className="meter-value">{valueText}</span>
            </div>
            <div className="meter-track">
              <div className="meter-fill" style={{ width: `${Math.min(percentage, 100)}%` }} />
            </div>
          </>
        )}
      </Meter>
      <dl className="figures">
        {FIGURES.map(({ key, label }) => (
          <div key={key} className="figure">
            <dt>{label}</dt>
            <dd>{figures[key].toLocaleString()}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function Overview() {
  const { config } = useConsole();
  const summary = useQuery({
    queryKey: ['summary'],
    queryFn: api.summary,
    refetchInterval: SUMMARY_REFRESH_MS,
    refetchOnWindowFocus: 'always',
  });
  return (
    <>
      <PageHeader title="Overview">
        <Button onPress={() => void summary.refetch()} isDisabled={summary.isFetching}>
          Refresh
        </Button>
      </PageHeader>
      <p className="read-at" aria-live="polite">
        {summary.dataUpdatedAt
          ? `Figures read at ${new Date(summary.dataUpdatedAt).toLocaleTimeString()}; they refresh every 30 seconds.`
          : 'Reading the figures…'}
      </p>
      <ErrorNotice error={summary.error} />
      {summary.data && (
        <div className="cards">
          <AreaCard title="All areas" figures={summary.data.totals} warningShare={config.warningShare} />
          {summary.data.areas.map((area) => (
            <AreaCard key={area.area} title={area.area} figures={area} warningShare={config.warningShare} />
          ))}
        </div>
      )}
    </>
  );
}

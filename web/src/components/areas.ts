import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Choice } from './fields.tsx';

/** The areas there are (GET /license, open to both roles), for pickers. */
export function useAreas(): { areas: string[]; choices: Choice[]; isLoading: boolean } {
  const license = useQuery({ queryKey: ['license'], queryFn: api.license });
  const areas = (license.data?.areas ?? []).map((a) => a.area);
  return { areas, choices: areas.map((area) => ({ id: area, label: area })), isLoading: license.isLoading };
}

/** "All areas" plus each area; the empty id means no filter. */
export const withAll = (choices: Choice[], label = 'All areas'): Choice[] => [{ id: '', label }, ...choices];

import { Link } from 'wouter';
import type { ApiError } from '../api/client.ts';
import { useConsole } from '../settings.ts';

/** SEAT_LIMIT_REACHED's two ways out: free a seat (block someone), or get more licences. */
export function SeatLimitHelp({ error }: { error: ApiError }) {
  const { can } = useConsole();
  if (error.code !== 'SEAT_LIMIT_REACHED') return null;
  const area = typeof error.details.area === 'string' ? error.details.area : undefined;
  return (
    <div className="ways-out">
      <p>Two ways out:</p>
      <ul>
        <li>
          <Link href={area ? `/people?area=${encodeURIComponent(area)}&state=active` : '/people'}>Block someone</Link> in{' '}
          {area ?? 'the area'} who no longer needs access: the seat is free at once, and blocking can be undone.
        </li>
        <li>
          {can('license-admin') ? (
            <>
              <Link href="/licences">Raise the limit or move free seats</Link> to {area ?? 'the area'} (you are a licence administrator).
            </>
          ) : (
            <>Ask a licence administrator for more licences in {area ?? 'the area'}.</>
          )}
        </li>
      </ul>
    </div>
  );
}

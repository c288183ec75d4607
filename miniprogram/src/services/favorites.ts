import type { FavoriteState, ReportList } from '@shulan/shared';
import { request } from './request';

/** Starred reports the user may still see, most recently starred first (shared with the web). */
export function listFavorites(): Promise<ReportList> {
  return request<ReportList>({ path: '/api/favorites' });
}

export function setFavorite(reportId: string, on: boolean): Promise<FavoriteState> {
  return request<FavoriteState>({ method: on ? 'PUT' : 'DELETE', path: `/api/reports/${encodeURIComponent(reportId)}/favorite` });
}

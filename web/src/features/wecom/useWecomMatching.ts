import type { WecomMatchBy, WecomMatchCategory, WecomMatchConfirmBody, WecomMatchConfirmResult, WecomMatchPreview } from '@shulan/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { api } from '../../api/apiClient';

export interface MatchPageRequest {
  by: WecomMatchBy;
  /** Bumped by each press of 预览匹配, so a new press reads afresh. */
  run: number;
  category: WecomMatchCategory;
  offset: number;
  limit: number;
  q: string;
}

/** Dry run, one page at a time: nothing is written. Never refetched behind the admin's back. */
export function useMatchPreview(req: MatchPageRequest | null) {
  // Pages of one press of 预览匹配 are read from the server's snapshot of that classification.
  const snapshot = useRef<{ run: number; id: string } | null>(null);
  return useQuery({
    queryKey: ['wecom-match-preview', req],
    enabled: req !== null,
    queryFn: async () => {
      const { by, run, category, offset, limit, q } = req!;
      const snap = snapshot.current?.run === run ? snapshot.current.id : undefined;
      const p = await api.post<WecomMatchPreview>('/wecom/matching/preview', { by, category, offset, limit, ...(q ? { q } : {}), ...(snap ? { snapshot: snap } : {}) });
      snapshot.current = { run, id: p.snapshot };
      return p;
    },
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 5 * 60_000,
    retry: false,
    refetchOnWindowFocus: false,
  });
}

/** The server takes at most this many pairs per call; more are sent in turn and the reports joined. */
const CONFIRM_CHUNK = 1000;

export function useMatchConfirm() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: WecomMatchConfirmBody): Promise<WecomMatchConfirmResult> => {
      const out: WecomMatchConfirmResult = { bound: 0, results: [] };
      for (let i = 0; i < body.pairs.length; i += CONFIRM_CHUNK) {
        const r = await api.post<WecomMatchConfirmResult>('/wecom/matching/confirm', { by: body.by, pairs: body.pairs.slice(i, i + CONFIRM_CHUNK) });
        out.bound += r.bound;
        out.results.push(...r.results);
      }
      return out;
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['personnel'] });
    },
  });
}

import type { WecomSyncProgressEvent, WecomSyncRunView, WecomSyncScheduleBody, WecomSyncScheduleView } from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api/apiClient';

const RUNS_KEY = ['wecom', 'sync', 'runs'] as const;
const SCHEDULE_KEY = ['wecom', 'sync', 'schedule'] as const;

/** History of address-book syncs, newest first. */
export function useSyncRuns() {
  return useQuery({ queryKey: RUNS_KEY, queryFn: () => api.get<WecomSyncRunView[]>('/wecom/sync/runs', { limit: 50 }) });
}

/** 立即同步: starts a run in the background (409 while one is running). */
export function useStartSync() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ runId: string }>('/wecom/sync'),
    onSettled: () => void qc.invalidateQueries({ queryKey: RUNS_KEY }),
  });
}

export function useSyncSchedule() {
  return useQuery({ queryKey: SCHEDULE_KEY, queryFn: () => api.get<WecomSyncScheduleView>('/wecom/sync/schedule') });
}

export function useSaveSyncSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: WecomSyncScheduleBody) => api.put<WecomSyncScheduleView>('/wecom/sync/schedule', body),
    onSuccess: (view) => qc.setQueryData(SCHEDULE_KEY, view),
  });
}

/** What the progress bar shows for the run being watched. */
export interface LiveRun {
  runId: string;
  status: WecomSyncRunView['status'];
  progress: WecomSyncRunView['progress'];
  counts: WecomSyncRunView['counts'];
  error: string | null;
}

/**
 * Live progress of one run: pushed over the WebSocket /api/wecom/sync/progress, with the run
 * itself polled as a fallback (every second without a socket, every 3 s with one, in case the
 * socket connected after the run's last event). Ends polling once the run has finished.
 */
export function useLiveSync(runId: string | null): { live: LiveRun | null; socketOpen: boolean; pushedRunning: string | null } {
  const qc = useQueryClient();
  const [socketOpen, setSocketOpen] = useState(false);
  const [pushed, setPushed] = useState<WecomSyncProgressEvent | null>(null);

  useEffect(() => {
    if (typeof WebSocket === 'undefined') return undefined;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    // Same origin, so the session cookie authenticates the handshake.
    const ws = new WebSocket(`${scheme}://${window.location.host}/api/wecom/sync/progress`);
    ws.onopen = () => setSocketOpen(true);
    ws.onclose = () => setSocketOpen(false);
    ws.onmessage = (msg) => {
      try {
        const event = JSON.parse(String(msg.data)) as WecomSyncProgressEvent;
        setPushed(event);
        if (event.status !== 'running') void qc.invalidateQueries({ queryKey: RUNS_KEY });
      } catch {
        // Not ours to interpret; the polled run still shows the truth.
      }
    };
    return () => ws.close();
  }, [qc]);

  const polled = useQuery({
    queryKey: ['wecom', 'sync', 'run', runId],
    queryFn: () => api.get<WecomSyncRunView>(`/wecom/sync/runs/${encodeURIComponent(runId ?? '')}`),
    enabled: runId !== null,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'running' ? false : socketOpen ? 3000 : 1000),
  });

  const run = polled.data?.id === runId ? polled.data : undefined;
  const event = pushed?.runId === runId ? pushed : null;
  useEffect(() => {
    if (run && run.status !== 'running') void qc.invalidateQueries({ queryKey: RUNS_KEY });
  }, [run, qc]);

  // A run announced on the socket (schedule, CLI, another admin) that this page is not watching yet.
  const pushedRunning = pushed?.status === 'running' ? pushed.runId : null;
  if (!runId) return { live: null, socketOpen, pushedRunning };
  // A finished run is final whichever channel said so first; otherwise the pushed event is newer.
  if (run && run.status !== 'running') {
    return { live: { runId, status: run.status, progress: run.progress, counts: run.counts, error: run.error }, socketOpen, pushedRunning };
  }
  if (event) {
    return {
      live: { runId, status: event.status, progress: event.progress, counts: event.counts ?? null, error: event.error ?? null },
      socketOpen,
      pushedRunning,
    };
  }
  return {
    live: { runId, status: 'running', progress: run?.progress ?? { phase: 'starting', done: 0, total: 0 }, counts: null, error: null },
    socketOpen,
    pushedRunning,
  };
}

import type { DoctorReport, DoctorRunBody } from '@shulan/shared';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/apiClient';

/** Runs the go-live check on the server (its outside checks reach the domain from there). */
export function useRunDoctor() {
  return useMutation({ mutationFn: (body: DoctorRunBody) => api.post<DoctorReport>('/settings/doctor/run', body) });
}

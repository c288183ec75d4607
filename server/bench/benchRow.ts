export interface BenchRow { figure: string; value: string; baseline: string; ratio: string; goal: string; db?: 'sqlite' | 'postgres' }

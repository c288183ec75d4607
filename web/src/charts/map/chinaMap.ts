// The map chart and its province shapes, registered on first use: a separate chunk (about 60 KB)
// that only reports with a map widget load.
import { MapChart } from 'echarts/charts';
import { GeoComponent, VisualMapComponent } from 'echarts/components';
import { echarts } from '../echarts';
import china from './china-provinces.json';

echarts.use([MapChart, GeoComponent, VisualMapComponent]);
echarts.registerMap('china', china as unknown as Parameters<typeof echarts.registerMap>[1]);

export const CHINA_MAP = 'china';

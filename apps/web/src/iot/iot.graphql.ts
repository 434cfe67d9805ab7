import { operation } from "../graphql/client";

export type DeviceKind = "SENSOR" | "SMART_METER" | "CAMERA" | "UAV";

export interface LineRef {
  id: string;
  name: string;
  voltageKv: number;
}

export interface TowerRef {
  id: string;
  name: string;
}

export interface DeviceSummary {
  id: string;
  name: string;
  kind: DeviceKind;
  tower: TowerRef | null;
  line: LineRef | null;
  createdAt: string;
}

export interface TowerSummary {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
  line: LineRef | null;
  devices: { id: string }[];
}

export interface Metric {
  id: string;
  name: string;
  unit: string;
}

export interface ReadingPoint {
  time: string;
  min: number;
  avg: number;
  max: number;
  count: number;
}

const LINE_REF = `id name voltageKv`;
const DEVICE_SUMMARY = `id name kind createdAt tower { id name } line { ${LINE_REF} }`;

export interface LineSummary extends LineRef {
  towers: { id: string }[];
}

/** The assets page: every line and tower and the first page of devices. */
export const FLEET = operation<
  {
    lines: LineSummary[];
    towers: TowerSummary[];
    devices: {
      edges: { node: DeviceSummary }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  },
  { first: number; after: string | null }
>(`
  query Fleet($first: Int, $after: String) {
    lines { ${LINE_REF} towers { id } }
    towers { id name latitude longitude line { ${LINE_REF} } devices { id } }
    devices(first: $first, after: $after) {
      edges { node { ${DEVICE_SUMMARY} } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export interface LineInput {
  name: string;
  voltageKv: number;
}

export const CREATE_LINE = operation<{ createLine: LineRef }, { input: LineInput }>(`
  mutation CreateLine($input: CreateLineInput!) { createLine(input: $input) { ${LINE_REF} } }
`);

export const UPDATE_LINE = operation<
  { updateLine: LineRef },
  { id: string; input: Partial<LineInput> }
>(`
  mutation UpdateLine($id: ID!, $input: UpdateLineInput!) { updateLine(id: $id, input: $input) { ${LINE_REF} } }
`);

export const DELETE_LINE = operation<{ deleteLine: boolean }, { id: string }>(`
  mutation DeleteLine($id: ID!) { deleteLine(id: $id) }
`);

export interface TowerInput {
  name: string;
  latitude: number;
  longitude: number;
  lineId: string | null;
}

export const CREATE_TOWER = operation<{ createTower: { id: string } }, { input: TowerInput }>(`
  mutation CreateTower($input: CreateTowerInput!) { createTower(input: $input) { id } }
`);

export const UPDATE_TOWER = operation<
  { updateTower: { id: string } },
  {
    id: string;
    input: Partial<Omit<TowerInput, "lineId">> & { lineId?: string; clearLine?: boolean };
  }
>(`
  mutation UpdateTower($id: ID!, $input: UpdateTowerInput!) { updateTower(id: $id, input: $input) { id } }
`);

export const DELETE_TOWER = operation<{ deleteTower: boolean }, { id: string }>(`
  mutation DeleteTower($id: ID!) { deleteTower(id: $id) }
`);

export interface DeviceInput {
  name: string;
  kind: DeviceKind;
  towerId: string | null;
  lineId: string | null;
}

/** A device with the MQTT secret the API shows once (createDevice, issueDeviceCredential). */
export interface DeviceWithSecret {
  id: string;
  name: string;
  mqttSecret: string | null;
}

export const CREATE_DEVICE = operation<{ createDevice: DeviceWithSecret }, { input: DeviceInput }>(`
  mutation CreateDevice($input: CreateDeviceInput!) {
    createDevice(input: $input) { id name mqttSecret }
  }
`);

export const ISSUE_DEVICE_CREDENTIAL = operation<
  { issueDeviceCredential: DeviceWithSecret },
  { id: string }
>(`
  mutation IssueDeviceCredential($id: ID!) {
    issueDeviceCredential(id: $id) { id name mqttSecret }
  }
`);

export const UPDATE_DEVICE = operation<
  { updateDevice: { id: string } },
  {
    id: string;
    input: {
      name?: string;
      kind?: DeviceKind;
      towerId?: string;
      lineId?: string;
      clearTower?: boolean;
      clearLine?: boolean;
    };
  }
>(`
  mutation UpdateDevice($id: ID!, $input: UpdateDeviceInput!) { updateDevice(id: $id, input: $input) { id } }
`);

export const DELETE_DEVICE = operation<{ deleteDevice: boolean }, { id: string }>(`
  mutation DeleteDevice($id: ID!) { deleteDevice(id: $id) }
`);

export const DEVICE = operation<
  { device: DeviceSummary | null; metrics: Metric[] },
  { id: string }
>(`
  query Device($id: ID!) {
    device(id: $id) { ${DEVICE_SUMMARY} }
    metrics { id name unit }
  }
`);

export const METRICS = operation<{ metrics: Metric[] }>(`
  query Metrics { metrics { id name unit } }
`);

export interface ReadingSeries {
  bucket: string | null;
  metric: Metric;
  points: ReadingPoint[];
}

export const READINGS = operation<
  { readings: ReadingSeries },
  { deviceId: string; metric: string; from: string; to: string; bucket: string | null }
>(`
  query Readings($deviceId: ID!, $metric: String!, $from: DateTime!, $to: DateTime!, $bucket: String) {
    readings(deviceId: $deviceId, metric: $metric, from: $from, to: $to, bucket: $bucket) {
      bucket metric { id name unit } points { time min avg max count }
    }
  }
`);

export interface ContextSeries {
  device: { id: string; name: string; kind: DeviceKind };
  metric: Metric;
  count: number;
  min: number;
  avg: number;
  max: number;
  last: number;
  lastTime: string;
  points: { time: string; avg: number }[];
}

export interface ImageContext {
  capturedAt: string;
  windowMinutes: number;
  derived: boolean;
  derivedFrom: string[];
  devices: { id: string; name: string; kind: DeviceKind }[];
  series: ContextSeries[];
}

export const IMAGE_CONTEXT = operation<
  { image: { id: string; capturedAt: string | null; context: ImageContext | null } | null },
  { id: string; window: number }
>(`
  query ImageContext($id: ID!, $window: Int) {
    image(id: $id) {
      id capturedAt
      context(window: $window) {
        capturedAt windowMinutes derived derivedFrom
        devices { id name kind }
        series {
          device { id name kind } metric { id name unit }
          count min avg max last lastTime points { time avg }
        }
      }
    }
  }
`);

export interface SensorBand {
  lower: number | null;
  upper: number | null;
  images: number;
  classes: {
    defectClass: { id: string; name: string; title: string; color: string };
    images: number;
  }[];
}

export interface SensorBandBalance {
  metric: Metric;
  windowMinutes: number;
  edges: number[];
  bands: SensorBand[];
  matched: number;
  unmatched: number;
}

export const SENSOR_BAND_BALANCE = operation<
  { sensorBandBalance: SensorBandBalance },
  {
    datasetId: string;
    metric: string;
    bands: number[] | null;
    quantiles: number | null;
    window: number;
  }
>(`
  query SensorBandBalance($datasetId: ID!, $metric: String!, $bands: [Float!], $quantiles: Int, $window: Int) {
    sensorBandBalance(datasetId: $datasetId, metric: $metric, bands: $bands, quantiles: $quantiles, window: $window) {
      metric { id name unit } windowMinutes edges matched unmatched
      bands {
        lower upper images
        classes { defectClass { id name title color } images }
      }
    }
  }
`);

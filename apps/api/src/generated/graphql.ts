import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from "graphql";
import type { PublicUser as PublicUserModel } from "@gridfill/core/db.ts";
import type {
  ApiToken as ApiTokenModel,
  AuditEvent as AuditEventModel,
  Dataset as DatasetModel,
  DefectClass as DefectClassModel,
  Image as ImageModel,
  Annotation as AnnotationModel,
  DatasetVersion as DatasetVersionModel,
  DatasetVersionClassCount as DatasetVersionClassCountModel,
  ImportJob as ImportJobModel,
  ExportJob as ExportJobModel,
  PowerLine as PowerLineModel,
  Tower as TowerModel,
  Device as DeviceModel,
  Metric as MetricModel,
  DeadLetter as DeadLetterModel,
  ModelVersion as ModelVersionModel,
  FillRequest as FillRequestModel,
  Lineage as LineageModel,
  PredictionRun as PredictionRunModel,
} from "@gridfill/db";
import type { ImagePage as ImagePageModel } from "@gridfill/core/images/service.ts";
import type {
  PredictionRow as PredictionRowModel,
  RunEvaluation as RunEvaluationModel,
  RunCandidate as RunCandidateModel,
  ClassComparison as ClassComparisonModel,
} from "@gridfill/core/predictions/service.ts";
import type { ClassEvaluationRow as ClassEvaluationRowModel } from "../predictions/resolvers.ts";
import type {
  ImageContextResult as ImageContextResultModel,
  ContextSeries as ContextSeriesModel,
} from "@gridfill/core/iot/image-context.ts";
import type { SensorBandClassRow as SensorBandClassRowModel } from "../iot/sensor-bands-resolvers.ts";
import type { ApiContext } from "../context.ts";
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string };
  String: { input: string; output: string };
  Boolean: { input: boolean; output: boolean };
  Int: { input: number; output: number };
  Float: { input: number; output: number };
  DateTime: { input: Date; output: Date | string };
  JSON: { input: unknown; output: unknown };
};

export type Annotation = {
  __typename?: "Annotation";
  author?: Maybe<User>;
  box: Box;
  createdAt: Scalars["DateTime"]["output"];
  defectClass: DefectClass;
  id: Scalars["ID"]["output"];
  image: Image;
  /** The run whose prediction the box was made from (source PREDICTED). */
  predictionRun?: Maybe<PredictionRun>;
  review: AnnotationReview;
  source: AnnotationSource;
  updatedAt: Scalars["DateTime"]["output"];
};

export type AnnotationReview = "CONFIRMED" | "CORRECTED" | "UNREVIEWED";

export type AnnotationSource =
  | "GENERATED"
  | "HUMAN"
  | "IMPORTED"
  /** Made from a prediction of a run. */
  | "PREDICTED";

export type ApiToken = {
  __typename?: "ApiToken";
  createdAt: Scalars["DateTime"]["output"];
  expiresAt?: Maybe<Scalars["DateTime"]["output"]>;
  id: Scalars["ID"]["output"];
  lastUsedAt?: Maybe<Scalars["DateTime"]["output"]>;
  name: Scalars["String"]["output"];
  /** First characters of the token, to recognise it in a list. */
  prefix: Scalars["String"]["output"];
  revokedAt?: Maybe<Scalars["DateTime"]["output"]>;
};

export type AssetType = "CONDUCTOR" | "FITTING" | "INSULATOR" | "OTHER" | "TOWER";

export type AuditEvent = {
  __typename?: "AuditEvent";
  action: Scalars["String"]["output"];
  actor?: Maybe<User>;
  actorEmail?: Maybe<Scalars["String"]["output"]>;
  createdAt: Scalars["DateTime"]["output"];
  datasetId?: Maybe<Scalars["ID"]["output"]>;
  details?: Maybe<Scalars["JSON"]["output"]>;
  entityId?: Maybe<Scalars["String"]["output"]>;
  entityType: Scalars["String"]["output"];
  id: Scalars["ID"]["output"];
};

export type AuditEventConnection = {
  __typename?: "AuditEventConnection";
  edges: Array<AuditEventEdge>;
  pageInfo: PageInfo;
};

export type AuditEventEdge = {
  __typename?: "AuditEventEdge";
  cursor: Scalars["String"]["output"];
  node: AuditEvent;
};

export type BalanceStatistics = {
  __typename?: "BalanceStatistics";
  classes: Array<ClassBalance>;
  /** Whether unreviewed predicted boxes count (the dataset's setting). */
  countUnreviewedPredicted: Scalars["Boolean"]["output"];
  emptyClasses: Array<DefectClass>;
  /** max / min over non-empty classes; null when fewer than two classes have samples. */
  imbalanceRatio?: Maybe<Scalars["Float"]["output"]>;
  maxClass?: Maybe<DefectClass>;
  /** Smallest class, empty classes included. */
  minClass?: Maybe<DefectClass>;
  /** Shannon entropy of the class distribution divided by ln(classes); 1 is perfectly balanced. */
  normalizedEntropy?: Maybe<Scalars["Float"]["output"]>;
  /** The splits taken into account. */
  splits: Array<Split>;
  syntheticPolicy: SyntheticPolicy;
  /** Sum of the class counts; in IMAGES an image showing two classes counts for both. */
  total: Scalars["Int"]["output"];
  unit: BalanceUnit;
};

export type BalanceUnit = "BOXES" | "IMAGES";

/** A bounding box in pixels: top-left corner and size, inside the image. */
export type Box = {
  __typename?: "Box";
  height: Scalars["Float"]["output"];
  width: Scalars["Float"]["output"];
  x: Scalars["Float"]["output"];
  y: Scalars["Float"]["output"];
};

export type BoxInput = {
  height: Scalars["Float"]["input"];
  width: Scalars["Float"]["input"];
  x: Scalars["Float"]["input"];
  y: Scalars["Float"]["input"];
};

export type ClassBalance = {
  __typename?: "ClassBalance";
  boxes: Scalars["Int"]["output"];
  bySplit: Array<SplitCount>;
  /** The count used for share, ratio and entropy (in the requested unit, under the dataset's synthetic policy). */
  counted: Scalars["Int"]["output"];
  defectClass: DefectClass;
  images: Scalars["Int"]["output"];
  /** Real, accepted and pending synthetic counts in the requested unit, whether the policy counts them or not. */
  real: Scalars["Int"]["output"];
  share: Scalars["Float"]["output"];
  syntheticAccepted: Scalars["Int"]["output"];
  syntheticPending: Scalars["Int"]["output"];
  /**
   * Predicted boxes no human has reviewed yet, in the requested unit (in IMAGES, the images whose
   * boxes of the class are all such boxes), whether the dataset counts them or not.
   */
  unreviewedPredicted: Scalars["Int"]["output"];
};

export type ClassBoxCount = {
  __typename?: "ClassBoxCount";
  boxes: Scalars["Int"]["output"];
  className: Scalars["String"]["output"];
};

export type ClassComparison = {
  __typename?: "ClassComparison";
  /** other − base. */
  ap50Delta?: Maybe<Scalars["Float"]["output"]>;
  apDelta?: Maybe<Scalars["Float"]["output"]>;
  base: ClassRunScores;
  defectClass: DefectClass;
  other: ClassRunScores;
  truths: Scalars["Int"]["output"];
};

export type ClassDelta = {
  __typename?: "ClassDelta";
  boxesAfter: Scalars["Int"]["output"];
  boxesBefore: Scalars["Int"]["output"];
  boxesDelta: Scalars["Int"]["output"];
  className: Scalars["String"]["output"];
  imagesAfter: Scalars["Int"]["output"];
  imagesBefore: Scalars["Int"]["output"];
  imagesDelta: Scalars["Int"]["output"];
};

export type ClassEvaluation = {
  __typename?: "ClassEvaluation";
  ap?: Maybe<Scalars["Float"]["output"]>;
  /** COCO AP at IoU .50, .75 and averaged over .50:.05:.95 (101-point); null without truths. */
  ap50?: Maybe<Scalars["Float"]["output"]>;
  ap75?: Maybe<Scalars["Float"]["output"]>;
  /** AP at the evaluation's IoU. */
  apAtIou?: Maybe<Scalars["Float"]["output"]>;
  /** 101 points at the evaluation's IoU. */
  curve: Array<PrPoint>;
  defectClass: DefectClass;
  f1: Scalars["Float"]["output"];
  falseNegatives: Scalars["Int"]["output"];
  falsePositives: Scalars["Int"]["output"];
  precision: Scalars["Float"]["output"];
  predictions: Scalars["Int"]["output"];
  recall: Scalars["Float"]["output"];
  truePositives: Scalars["Int"]["output"];
  /** Labelled boxes (crowd regions excluded). */
  truths: Scalars["Int"]["output"];
};

/** Planning is in images: a class's current count is its real TRAIN images plus the synthetic images the policy counts. */
export type ClassFill = {
  __typename?: "ClassFill";
  /** current + toGenerate. */
  after: Scalars["Int"]["output"];
  /** Why the class cannot be filled (for example: fewer than K real train images). */
  blockedReason?: Maybe<Scalars["String"]["output"]>;
  current: Scalars["Int"]["output"];
  defectClass: DefectClass;
  /** The cap that cut toGenerate below target - current, if any. */
  limitedBy?: Maybe<FillLimit>;
  realTrainImages: Scalars["Int"]["output"];
  syntheticImages: Scalars["Int"]["output"];
  target: Scalars["Int"]["output"];
  toGenerate: Scalars["Int"]["output"];
};

export type ClassRunScores = {
  __typename?: "ClassRunScores";
  ap?: Maybe<Scalars["Float"]["output"]>;
  ap50?: Maybe<Scalars["Float"]["output"]>;
  recall: Scalars["Float"]["output"];
};

export type ConfirmUploadResult = {
  __typename?: "ConfirmUploadResult";
  /** True when the image was already in the dataset (nothing new was created). */
  duplicate: Scalars["Boolean"]["output"];
  image: Image;
};

/** One metric of one device around an image's capture time. */
export type ContextSeries = {
  __typename?: "ContextSeries";
  avg: Scalars["Float"]["output"];
  count: Scalars["Int"]["output"];
  device: Device;
  /** The reading closest before (or at) the end of the window. */
  last: Scalars["Float"]["output"];
  lastTime: Scalars["DateTime"]["output"];
  max: Scalars["Float"]["output"];
  metric: Metric;
  min: Scalars["Float"]["output"];
  /** The raw readings in the window, oldest first (at most 2,000). */
  points: Array<ReadingPoint>;
};

export type CreateAnnotationInput = {
  box: BoxInput;
  classId: Scalars["ID"]["input"];
};

export type CreateClassInput = {
  assetType?: InputMaybe<AssetType>;
  color?: InputMaybe<Scalars["String"]["input"]>;
  hostClassId?: InputMaybe<Scalars["ID"]["input"]>;
  isHostObject?: InputMaybe<Scalars["Boolean"]["input"]>;
  name: Scalars["String"]["input"];
  parentId?: InputMaybe<Scalars["ID"]["input"]>;
  title?: InputMaybe<Scalars["String"]["input"]>;
};

export type CreateDatasetInput = {
  /** Classes to create with the dataset. */
  classes?: InputMaybe<Array<CreateClassInput>>;
  description?: InputMaybe<Scalars["String"]["input"]>;
  name: Scalars["String"]["input"];
};

export type CreateDeviceInput = {
  kind: DeviceKind;
  lineId?: InputMaybe<Scalars["ID"]["input"]>;
  metadata?: InputMaybe<Scalars["JSON"]["input"]>;
  /** No `/`, `+`, `#` or whitespace: it is part of the MQTT topic. */
  name: Scalars["String"]["input"];
  towerId?: InputMaybe<Scalars["ID"]["input"]>;
};

export type CreateLineInput = {
  name: Scalars["String"]["input"];
  voltageKv: Scalars["Float"]["input"];
};

export type CreateMetricInput = {
  maxValue?: InputMaybe<Scalars["Float"]["input"]>;
  /** Optional plausible range (inclusive), e.g. 0 and 100 for humidity in %. */
  minValue?: InputMaybe<Scalars["Float"]["input"]>;
  /** Metric name as devices publish it, e.g. humidity, leakage_current. */
  name: Scalars["String"]["input"];
  /** Unit readings must carry (or omit), e.g. %, mA, kV, °C. */
  unit: Scalars["String"]["input"];
};

export type CreateTowerInput = {
  latitude: Scalars["Float"]["input"];
  lineId?: InputMaybe<Scalars["ID"]["input"]>;
  longitude: Scalars["Float"]["input"];
  name: Scalars["String"]["input"];
};

export type CreateUserInput = {
  email: Scalars["String"]["input"];
  name: Scalars["String"]["input"];
  password: Scalars["String"]["input"];
  role: Role;
};

export type CreatedApiToken = {
  __typename?: "CreatedApiToken";
  apiToken: ApiToken;
  /** The secret, shown once. Only its hash is stored. */
  token: Scalars["String"]["output"];
};

export type Dataset = {
  __typename?: "Dataset";
  balance: BalanceStatistics;
  classes: Array<DefectClass>;
  /** Whether pending synthetic images count in balance statistics (accepted ones always do). */
  countPendingSynthetic: Scalars["Boolean"]["output"];
  /**
   * Whether predicted boxes no human has reviewed yet (pre-labels) count in balance statistics and
   * fill plans; confirmed or corrected ones always do.
   */
  countUnreviewedPredicted: Scalars["Boolean"]["output"];
  createdAt: Scalars["DateTime"]["output"];
  description: Scalars["String"]["output"];
  id: Scalars["ID"]["output"];
  /** Number of images (from the counters' companion: an indexed count). */
  imageCount: Scalars["Int"]["output"];
  name: Scalars["String"]["output"];
  /** Upper bound on the synthetic share of any class, 0..1. */
  syntheticShareCap: Scalars["Float"]["output"];
  updatedAt: Scalars["DateTime"]["output"];
  /** Versions, newest first. */
  versions: Array<DatasetVersion>;
};

export type DatasetBalanceArgs = {
  splits?: InputMaybe<Array<Split>>;
  unit?: InputMaybe<BalanceUnit>;
};

export type DatasetConnection = {
  __typename?: "DatasetConnection";
  edges: Array<DatasetEdge>;
  pageInfo: PageInfo;
};

export type DatasetEdge = {
  __typename?: "DatasetEdge";
  cursor: Scalars["String"]["output"];
  node: Dataset;
};

export type DatasetFormat = "COCO" | "VOC" | "YOLO";

/** A frozen, immutable snapshot of a dataset: its manifest and its class counts. */
export type DatasetVersion = {
  __typename?: "DatasetVersion";
  boxes: Scalars["Int"]["output"];
  classCounts: Array<VersionClassCount>;
  createdAt: Scalars["DateTime"]["output"];
  dataset: Dataset;
  id: Scalars["ID"]["output"];
  images: Scalars["Int"]["output"];
  /** sha256 of the manifest (JSON Lines, one image per line, sorted by sha256). */
  manifestSha256: Scalars["String"]["output"];
  note: Scalars["String"]["output"];
  /** 1, 2, 3… per dataset. */
  number: Scalars["Int"]["output"];
};

export type DeadLetter = {
  __typename?: "DeadLetter";
  id: Scalars["ID"]["output"];
  payload: Scalars["String"]["output"];
  /** `CODE: explanation`; the codes are those of the MQTT ingester (SCHEMA, UNKNOWN_DEVICE, …). */
  reason: Scalars["String"]["output"];
  receivedAt: Scalars["DateTime"]["output"];
  source: Scalars["String"]["output"];
  topic?: Maybe<Scalars["String"]["output"]>;
};

export type DeadLetterConnection = {
  __typename?: "DeadLetterConnection";
  edges: Array<DeadLetterEdge>;
  pageInfo: PageInfo;
};

export type DeadLetterEdge = {
  __typename?: "DeadLetterEdge";
  cursor: Scalars["String"]["output"];
  node: DeadLetter;
};

/** A defect class in the dataset's taxonomy; a class may refine a parent class. */
export type DefectClass = {
  __typename?: "DefectClass";
  assetType: AssetType;
  children: Array<DefectClass>;
  color: Scalars["String"]["output"];
  /** The class this defect sits on (e.g. insulator): composite fills place new instances inside its boxes. */
  hostClass?: Maybe<DefectClass>;
  id: Scalars["ID"]["output"];
  /** An object class (insulator, tower, conductor), not a defect: left out of the balance and of fill plans (a fill with a count may still target it), and its boxes leave a composite host clean. */
  isHostObject: Scalars["Boolean"]["output"];
  name: Scalars["String"]["output"];
  parent?: Maybe<DefectClass>;
  title: Scalars["String"]["output"];
};

export type DetectorUpload = {
  __typename?: "DetectorUpload";
  expiresAt: Scalars["DateTime"]["output"];
  headers: Scalars["JSON"]["output"];
  /** Pass this to runDetector once the PUT has finished. */
  key: Scalars["String"]["output"];
  url: Scalars["String"]["output"];
};

/** A device on the grid. It publishes telemetry to `gridfill/<name>/telemetry`. */
export type Device = {
  __typename?: "Device";
  createdAt: Scalars["DateTime"]["output"];
  /** Whether the device has an MQTT secret (its broker login is its name and that secret). */
  hasCredential: Scalars["Boolean"]["output"];
  id: Scalars["ID"]["output"];
  kind: DeviceKind;
  line?: Maybe<PowerLine>;
  metadata?: Maybe<Scalars["JSON"]["output"]>;
  /**
   * The device's MQTT secret, only in the answer of createDevice and issueDeviceCredential: it is
   * stored hashed and cannot be read again. Null everywhere else.
   */
  mqttSecret?: Maybe<Scalars["String"]["output"]>;
  name: Scalars["String"]["output"];
  tower?: Maybe<Tower>;
};

export type DeviceConnection = {
  __typename?: "DeviceConnection";
  edges: Array<DeviceEdge>;
  pageInfo: PageInfo;
};

export type DeviceEdge = {
  __typename?: "DeviceEdge";
  cursor: Scalars["String"]["output"];
  node: Device;
};

export type DeviceKind = "CAMERA" | "SENSOR" | "SMART_METER" | "UAV";

export type Evaluation = {
  __typename?: "Evaluation";
  classes: Array<ClassEvaluation>;
  confidence: Scalars["Float"]["output"];
  /** Rows are labels, columns predictions. */
  confusion: Array<Array<Scalars["Int"]["output"]>>;
  /** Class names of the confusion matrix's rows and columns; the last is background. */
  confusionLabels: Array<Scalars["String"]["output"]>;
  images: Scalars["Int"]["output"];
  iou: Scalars["Float"]["output"];
  map?: Maybe<Scalars["Float"]["output"]>;
  map50?: Maybe<Scalars["Float"]["output"]>;
  run: PredictionRun;
};

export type ExportJob = {
  __typename?: "ExportJob";
  boxes: Scalars["Int"]["output"];
  /** Size of the zip in bytes, once finished. */
  bytes?: Maybe<Scalars["Float"]["output"]>;
  createdAt: Scalars["DateTime"]["output"];
  finishedAt?: Maybe<Scalars["DateTime"]["output"]>;
  format: DatasetFormat;
  id: Scalars["ID"]["output"];
  images: Scalars["Int"]["output"];
  includeSynthetic: SyntheticInclusion;
  message?: Maybe<Scalars["String"]["output"]>;
  splits: Array<Split>;
  status: JobStatus;
  /** The cap applied (null: the dataset's syntheticShareCap). */
  syntheticShareCap?: Maybe<Scalars["Float"]["output"]>;
  /** Short-lived (5 minutes) presigned download URL of the zip, once the job has succeeded. */
  url?: Maybe<Scalars["String"]["output"]>;
  version: DatasetVersion;
};

export type FillLimit = "MAX_PER_CLASS" | "SYNTHETIC_SHARE_CAP";

/** How a fill makes its instances. */
export type FillMethod =
  /** A real train instance of the class, flipped, slightly rotated and colour-jittered. */
  | "COPY_PASTE"
  /** The active (or named) MVSA-GAN model generates each instance. */
  | "MODEL";

/** What a fill stores. */
export type FillOutput =
  /** A full-size real train image with the instance blended in, keeping the host's boxes. */
  | "COMPOSITE"
  /** The instance's square crop alone (classification datasets). */
  | "CROP";

export type FillPlan = {
  __typename?: "FillPlan";
  classes: Array<ClassFill>;
  /** max / min over the non-empty classes, before and after the fill. */
  currentImbalanceRatio?: Maybe<Scalars["Float"]["output"]>;
  currentNormalizedEntropy?: Maybe<Scalars["Float"]["output"]>;
  /** Images per class the strategy aims at. */
  level: Scalars["Int"]["output"];
  projectedImbalanceRatio?: Maybe<Scalars["Float"]["output"]>;
  projectedNormalizedEntropy?: Maybe<Scalars["Float"]["output"]>;
  shots: Scalars["Int"]["output"];
  strategy: FillStrategyKind;
  syntheticPolicy: SyntheticPolicy;
  syntheticShareCap: Scalars["Float"]["output"];
  totalToGenerate: Scalars["Int"]["output"];
};

export type FillPreview = {
  __typename?: "FillPreview";
  id: Scalars["ID"]["output"];
  samples: Array<FillPreviewSample>;
  seed: Scalars["String"]["output"];
};

/** One sample of a fill preview: rendered and stored for a few minutes, never a row. */
export type FillPreviewSample = {
  __typename?: "FillPreviewSample";
  /** Boxes the image would carry: the host's and the new one. */
  boxes: Scalars["Int"]["output"];
  height: Scalars["Int"]["output"];
  hostImageId?: Maybe<Scalars["ID"]["output"]>;
  index: Scalars["Int"]["output"];
  mimeType: Scalars["String"]["output"];
  /** The new box, for composites. */
  placement?: Maybe<Box>;
  /** Presigned GET of the sample (kept 15 minutes). */
  url: Scalars["String"]["output"];
  width: Scalars["Int"]["output"];
};

/** A request for synthetic images of one class, made by a worker sample by sample. */
export type FillRequest = {
  __typename?: "FillRequest";
  /** Candidates generated per sample, of which the critic's best was kept (1: no selection). */
  bestOf: Scalars["Int"]["output"];
  cancelledAt?: Maybe<Scalars["DateTime"]["output"]>;
  /** Images made so far (each stored with its boxes and lineage). */
  completed: Scalars["Int"]["output"];
  /** Images asked for. */
  count: Scalars["Int"]["output"];
  createdAt: Scalars["DateTime"]["output"];
  dataset: Dataset;
  defectClass: DefectClass;
  error?: Maybe<Scalars["String"]["output"]>;
  /** Execution provider the worker ran on (cpu, cuda), once known. */
  executionProvider?: Maybe<Scalars["String"]["output"]>;
  finishedAt?: Maybe<Scalars["DateTime"]["output"]>;
  hosts: HostChoice;
  id: Scalars["ID"]["output"];
  /** The images made so far, in sample order; only those in one review state when it is given. */
  images: Array<Image>;
  method: FillMethod;
  /** Null for copy-paste fills. */
  model?: Maybe<ModelVersion>;
  output: FillOutput;
  requestedBy?: Maybe<User>;
  /** The request's PRNG seed (decimal, 64-bit); with the sample index it fixes every draw. */
  seed: Scalars["String"]["output"];
  shots: Scalars["Int"]["output"];
  startedAt?: Maybe<Scalars["DateTime"]["output"]>;
  status: FillStatus;
  /** The planner strategy the count came from, when one was used. */
  strategy?: Maybe<Scalars["JSON"]["output"]>;
};

/** A request for synthetic images of one class, made by a worker sample by sample. */
export type FillRequestImagesArgs = {
  first?: InputMaybe<Scalars["Int"]["input"]>;
  reviewState?: InputMaybe<ReviewState>;
};

export type FillStatus = "CANCELLED" | "FAILED" | "QUEUED" | "RUNNING" | "SUCCEEDED";

export type FillStrategyInput = {
  /** For TO_COUNT: bring every class up to this many images. */
  count?: InputMaybe<Scalars["Int"]["input"]>;
  kind: FillStrategyKind;
  /** For TO_RATIO: bring every class up to max / maxRatio (maxRatio >= 1). */
  maxRatio?: InputMaybe<Scalars["Float"]["input"]>;
};

export type FillStrategyKind = "TO_COUNT" | "TO_MAX" | "TO_MEDIAN" | "TO_RATIO";

/** Which real train images a composite may be made on. */
export type HostChoice =
  /** Any real train image; the new box keeps clear of its boxes. */
  | "ANY"
  /** Images with no box of a defect class (only host objects such as insulators); any train image when there is none. */
  | "CLEAN_ONLY";

export type Image = {
  __typename?: "Image";
  annotations: Array<Annotation>;
  bytes: Scalars["Int"]["output"];
  capturedAt?: Maybe<Scalars["DateTime"]["output"]>;
  /** Telemetry around the capture time; null when the image has no capturedAt, device or tower. window: minutes, 1–1440. */
  context?: Maybe<ImageContext>;
  createdAt: Scalars["DateTime"]["output"];
  dataset: Dataset;
  /** The device that took it. */
  device?: Maybe<Device>;
  filename: Scalars["String"]["output"];
  height: Scalars["Int"]["output"];
  id: Scalars["ID"]["output"];
  /** Where it was taken (from EXIF GPS at upload, or as given). */
  latitude?: Maybe<Scalars["Float"]["output"]>;
  /** For synthetic images: how it was made. */
  lineage?: Maybe<Lineage>;
  longitude?: Maybe<Scalars["Float"]["output"]>;
  mimeType: Scalars["String"]["output"];
  origin: Origin;
  reviewState: ReviewState;
  sha256: Scalars["String"]["output"];
  split: Split;
  tags: Array<Scalars["String"]["output"]>;
  /** Short-lived presigned GET URL of a cached thumbnail (made once, on first need). */
  thumbnailUrl: Scalars["String"]["output"];
  /** The tower it shows: set at upload to the tower nearest its GPS position (within 5 km by default), or by setImageSource. */
  tower?: Maybe<Tower>;
  /** Short-lived presigned GET URL of the original. */
  url: Scalars["String"]["output"];
  width: Scalars["Int"]["output"];
};

export type ImageContextArgs = {
  window?: InputMaybe<Scalars["Int"]["input"]>;
};

export type ImageConnection = {
  __typename?: "ImageConnection";
  edges: Array<ImageEdge>;
  pageInfo: PageInfo;
  /** Exact when the filter is only class/split/origin/review state (read from counters); otherwise counted, capped at 10,000 (then totalCountCapped is true). */
  totalCount: Scalars["Int"]["output"];
  totalCountCapped: Scalars["Boolean"]["output"];
};

/**
 * The telemetry around an image: readings within ±window minutes of capturedAt from the image's
 * device and every device on its tower (the image's tower, else its device's tower).
 */
export type ImageContext = {
  __typename?: "ImageContext";
  capturedAt: Scalars["DateTime"]["output"];
  /**
   * True when the image has no capture time and device or tower of its own and the context is that of
   * an image it was generated from (a synthetic image: its lineage's base image, else the first of its
   * reference images that has a context). capturedAt, devices and series are then that image's.
   */
  derived: Scalars["Boolean"]["output"];
  /** The image(s) the context was taken from; empty when it is the image's own. */
  derivedFrom: Array<Scalars["ID"]["output"]>;
  devices: Array<Device>;
  series: Array<ContextSeries>;
  windowMinutes: Scalars["Int"]["output"];
};

export type ImageEdge = {
  __typename?: "ImageEdge";
  cursor: Scalars["String"]["output"];
  node: Image;
};

export type ImageFilter = {
  capturedAfter?: InputMaybe<Scalars["DateTime"]["input"]>;
  capturedBefore?: InputMaybe<Scalars["DateTime"]["input"]>;
  /** Images with at least one box of this class. */
  classId?: InputMaybe<Scalars["ID"]["input"]>;
  origin?: InputMaybe<Origin>;
  /** Images on which a prediction run has false positives or false negatives (of a class). */
  predictionError?: InputMaybe<PredictionErrorFilter>;
  reviewState?: InputMaybe<ReviewState>;
  splits?: InputMaybe<Array<Split>>;
  /** Images carrying all of these tags. */
  tags?: InputMaybe<Array<Scalars["String"]["input"]>>;
};

/** One problem with one file of an import (a path inside the archive). */
export type ImportFileError = {
  __typename?: "ImportFileError";
  /** A format code (MALFORMED_XML, ZIP_SLIP, UNKNOWN_CATEGORY…) or an upload rejection (NOT_AN_IMAGE…). */
  code: Scalars["String"]["output"];
  file: Scalars["String"]["output"];
  message: Scalars["String"]["output"];
};

export type ImportJob = {
  __typename?: "ImportJob";
  boxesAdded: Array<ClassBoxCount>;
  /** Metadata mode: the folder of the images bucket that holds the images. */
  bucketPrefix?: Maybe<Scalars["String"]["output"]>;
  createdAt: Scalars["DateTime"]["output"];
  dataset: Dataset;
  /** Images handled so far, out of total (images in the archive, known once the job starts). */
  done: Scalars["Int"]["output"];
  /** Images the dataset already held (only their missing boxes were added). */
  duplicates: Scalars["Int"]["output"];
  errorCount: Scalars["Int"]["output"];
  /** The first 1,000 problems. */
  errors: Array<ImportFileError>;
  finishedAt?: Maybe<Scalars["DateTime"]["output"]>;
  format: DatasetFormat;
  id: Scalars["ID"]["output"];
  imagesAdded: Scalars["Int"]["output"];
  message?: Maybe<Scalars["String"]["output"]>;
  /** Metadata mode: the zip held only labels; the images were objects already in the bucket. */
  metadataOnly: Scalars["Boolean"]["output"];
  source: Scalars["String"]["output"];
  split?: Maybe<Split>;
  startedAt?: Maybe<Scalars["DateTime"]["output"]>;
  status: JobStatus;
  total?: Maybe<Scalars["Int"]["output"]>;
};

export type ImportUpload = {
  __typename?: "ImportUpload";
  expiresAt: Scalars["DateTime"]["output"];
  headers: Scalars["JSON"]["output"];
  /** Pass this to startImport once the PUT has finished. */
  key: Scalars["String"]["output"];
  /** Presigned PUT URL for the zip, valid 15 minutes. */
  url: Scalars["String"]["output"];
};

export type IngestResult = {
  __typename?: "IngestResult";
  /** Valid readings already stored (same device, metric and time). */
  duplicates: Scalars["Int"]["output"];
  received: Scalars["Int"]["output"];
  /** Rows written to DeadLetter (source `graphql`), with their reasons. */
  rejected: Scalars["Int"]["output"];
  rejections: Array<ReadingRejection>;
  /** Readings newly stored. */
  stored: Scalars["Int"]["output"];
};

export type JobStatus = "FAILED" | "QUEUED" | "RUNNING" | "SUCCEEDED";

export type LabelDecisionAction =
  /** The label is right: mark the box confirmed. */
  | "CONFIRM"
  /** The box is wrong: delete it. */
  | "DELETE"
  /** Take the candidate out of the queue and change nothing. */
  | "DISMISS"
  /** Change the box's class or geometry: mark it corrected. */
  | "FIX";

export type LabelDecisionResult = {
  __typename?: "LabelDecisionResult";
  /** The box after the decision; null when it was deleted or the candidate dismissed. */
  annotation?: Maybe<Annotation>;
  key: Scalars["ID"]["output"];
};

export type LabelErrorCandidate = {
  __typename?: "LabelErrorCandidate";
  annotation?: Maybe<Annotation>;
  defectClass: DefectClass;
  image: Image;
  iou?: Maybe<Scalars["Float"]["output"]>;
  /** Stable: pass it to decideLabelError. */
  key: Scalars["ID"]["output"];
  kind: LabelErrorKind;
  predictedClass?: Maybe<DefectClass>;
  prediction?: Maybe<Prediction>;
  score?: Maybe<Scalars["Float"]["output"]>;
};

export type LabelErrorKind =
  /** A confident prediction of another class on a box. */
  | "CLASS_CONFUSION"
  /** A confident prediction that overlaps no box: a box may be missing. */
  | "MISSING_LABEL"
  /** A box no prediction of its class reaches, at any score: it may be wrong or spurious. */
  | "SPURIOUS_LABEL";

export type LabelErrorQueue = {
  __typename?: "LabelErrorQueue";
  candidates: Array<LabelErrorCandidate>;
  totalCount: Scalars["Int"]["output"];
};

/** Where a synthetic image came from, exactly enough to make it again. */
export type Lineage = {
  __typename?: "Lineage";
  /** The sampling algorithm (gridfill-fill-v1). */
  algorithm: Scalars["String"]["output"];
  /** Composites: the instance transform, feather and colour-transfer strength, and the file format. */
  blend?: Maybe<Scalars["JSON"]["output"]>;
  /** softmax of the critic's class logits at the target class; null for classes the critic never saw. */
  classScore?: Maybe<Scalars["Float"]["output"]>;
  coefficients: Array<Scalars["Float"]["output"]>;
  /** Composites: the colour statistics of the surroundings and of the instance that were matched. */
  colourTransfer?: Maybe<Scalars["JSON"]["output"]>;
  createdAt: Scalars["DateTime"]["output"];
  executionProvider: Scalars["String"]["output"];
  /** Composites: the real train image the instance was blended into (null once deleted). */
  host?: Maybe<Image>;
  hostImageId?: Maybe<Scalars["ID"]["output"]>;
  hostSha256?: Maybe<Scalars["String"]["output"]>;
  id: Scalars["ID"]["output"];
  image: Image;
  method: FillMethod;
  /** Null for copy-paste samples. */
  model?: Maybe<ModelVersion>;
  modelSha256?: Maybe<Scalars["String"]["output"]>;
  /** Distance in the critic's feature space to the nearest reference (smaller is closer to a copy). */
  nearestReferenceDistance?: Maybe<Scalars["Float"]["output"]>;
  output: FillOutput;
  /** Composites: the new box, in the host's pixels. */
  placement?: Maybe<Box>;
  positions: Array<Scalars["Int"]["output"]>;
  /** Critic realism (hinge score; higher is more realistic) and its sigmoid. */
  realism?: Maybe<Scalars["Float"]["output"]>;
  realismProbability?: Maybe<Scalars["Float"]["output"]>;
  references: Array<LineageReference>;
  request: FillRequest;
  reviewedAt?: Maybe<Scalars["DateTime"]["output"]>;
  reviewer?: Maybe<User>;
  sampleIndex: Scalars["Int"]["output"];
  /** Placed object side / source object side. */
  scale?: Maybe<Scalars["Float"]["output"]>;
  seed: Scalars["String"]["output"];
  /**
   * Best-of fills: { candidate, of, score, scores }, the kept candidate's number (its plan is the one
   * above), how many candidates were scored, its selection score (realism + ln max(classScore,
   * 1e-6)) and every candidate's, by number. Null when the fill kept its only candidate.
   */
  selection?: Maybe<Scalars["JSON"]["output"]>;
};

/** One reference of a synthetic image: the real image, the box cropped from it, its fusion weight. */
export type LineageReference = {
  __typename?: "LineageReference";
  box: Box;
  coefficient: Scalars["Float"]["output"];
  /** Null when the reference image has since been deleted (the lineage keeps its id). */
  image?: Maybe<Image>;
  imageId: Scalars["ID"]["output"];
  isBase: Scalars["Boolean"]["output"];
};

export type LoginResult = {
  __typename?: "LoginResult";
  expiresAt: Scalars["DateTime"]["output"];
  /** Also set as an httpOnly cookie; returned for non-browser clients. */
  sessionToken: Scalars["String"]["output"];
  user: User;
};

export type Metric = {
  __typename?: "Metric";
  id: Scalars["ID"]["output"];
  maxValue?: Maybe<Scalars["Float"]["output"]>;
  /** Plausible range: readings below minValue or above maxValue go to DeadLetter as OUT_OF_RANGE. */
  minValue?: Maybe<Scalars["Float"]["output"]>;
  name: Scalars["String"]["output"];
  unit: Scalars["String"]["output"];
};

export type ModelStatus =
  /** The model fills use when a request names none. */
  "ACTIVE" | "ARCHIVED";

/** Presigned PUTs for the two ONNX files of a model version. */
export type ModelUpload = {
  __typename?: "ModelUpload";
  /** Absent when no criticBytes was given. */
  criticKey?: Maybe<Scalars["String"]["output"]>;
  criticUrl?: Maybe<Scalars["String"]["output"]>;
  expiresAt: Scalars["DateTime"]["output"];
  /** Pass to registerModel once the PUTs have finished. */
  generatorKey: Scalars["String"]["output"];
  generatorUrl: Scalars["String"]["output"];
  headers: Scalars["JSON"]["output"];
};

/** A registered MVSA-GAN generator (and its critic), stored in the models bucket, sha256-pinned. */
export type ModelVersion = {
  __typename?: "ModelVersion";
  /** Classes the model saw in training (others are generated few-shot from their references). */
  classNames: Array<Scalars["String"]["output"]>;
  /** Training configuration from the ONNX metadata. */
  config?: Maybe<Scalars["JSON"]["output"]>;
  createdAt: Scalars["DateTime"]["output"];
  criticSha256?: Maybe<Scalars["String"]["output"]>;
  /** N: feature-grid cells fused per sample. */
  fusedPositions: Scalars["Int"]["output"];
  generatorBytes: Scalars["Int"]["output"];
  generatorSha256: Scalars["String"]["output"];
  /** Side of the encoder's feature grid. */
  gridSize: Scalars["Int"]["output"];
  hasCritic: Scalars["Boolean"]["output"];
  id: Scalars["ID"]["output"];
  /** Square image side the generator makes (pixels). */
  imageSize: Scalars["Int"]["output"];
  /** The model card's measured metrics (free-form JSON given at registration). */
  metrics?: Maybe<Scalars["JSON"]["output"]>;
  name: Scalars["String"]["output"];
  /** Fill requests that used this model. */
  requestCount: Scalars["Int"]["output"];
  /** K: reference images per sample (the base first). */
  shots: Scalars["Int"]["output"];
  status: ModelStatus;
  version: Scalars["String"]["output"];
};

export type Mutation = {
  __typename?: "Mutation";
  _noop?: Maybe<Scalars["Boolean"]["output"]>;
  /** Makes a box of a prediction (source PREDICTED, confirmed) and closes its MISSING_LABEL candidate. */
  acceptPrediction: Annotation;
  /**
   * Pre-labelling: the run's predictions from minScore, on images without any box, become boxes
   * (source PREDICTED, unreviewed until a human touches them). Once per run.
   */
  acceptPredictionsAbove: PrelabelResult;
  /** Makes this model the active one (the others are archived). */
  activateModel: ModelVersion;
  addImageTags: Scalars["Int"]["output"];
  /** Stops a queued or running fill before its next batch of samples (GRIDFILL_FILL_BATCH) is stored; images already made stay. */
  cancelFill: FillRequest;
  /** Verifies the uploaded object (exists, size, sha256, decodes within limits) and creates the Image. */
  confirmUpload: ConfirmUploadResult;
  createAnnotation: Annotation;
  createApiToken: CreatedApiToken;
  createClass: DefectClass;
  createDataset: Dataset;
  /** Creates the device with its MQTT secret, returned once as `mqttSecret`. */
  createDevice: Device;
  createLine: PowerLine;
  createMetric: Metric;
  createTower: Tower;
  createUser: User;
  /** Freezes the dataset as its next version. */
  createVersion: DatasetVersion;
  /** Decides a label-error candidate; classId or box are for FIX. */
  decideLabelError: LabelDecisionResult;
  deleteAnnotation: Scalars["Boolean"]["output"];
  /** Refused while annotations use the class. */
  deleteClass: Scalars["Boolean"]["output"];
  /** Deletes the dataset, its rows and its image objects. */
  deleteDataset: Scalars["Boolean"]["output"];
  /** Deletes the device and its readings; images keep their rows without the device. */
  deleteDevice: Scalars["Boolean"]["output"];
  /** Deletes images, their boxes and (when no other dataset uses it) the stored object. */
  deleteImages: Scalars["Int"]["output"];
  /** Deletes the line; its towers and devices stay, without a line. */
  deleteLine: Scalars["Boolean"]["output"];
  /** Deletes the tower; its devices and images stay, without a tower. */
  deleteTower: Scalars["Boolean"]["output"];
  /** Writes a version as a VOC, COCO or YOLO zip, as a background job. */
  exportVersion: ExportJob;
  /**
   * Imports an uploaded zip of predictions on a version's split as a background job: COCO results
   * JSON (with the dataset JSON that names its images and categories), YOLO txt with a confidence
   * column (and data.yaml or classes.txt), or VOC XML with <score>. A run with any problem is
   * refused whole. classMap renames classes ({"from": "to"}; null drops).
   */
  importPredictions: PredictionRun;
  /**
   * Stores a batch of readings (at most 10,000) with the MQTT ingester's checks. Each row is checked
   * on its own: bad rows go to DeadLetter (source `graphql`) with their reason, the rest are stored.
   */
  ingestReadings: IngestResult;
  /** Replaces the device's MQTT secret (the old one stops working at its next login); returned once as `mqttSecret`. */
  issueDeviceCredential: Device;
  login: LoginResult;
  logout: Scalars["Boolean"]["output"];
  /**
   * Renders a few samples (1 to 8) of the fill the input describes, on a worker, and writes no row:
   * the count and strategy are ignored; every other refusal is requestFill's.
   */
  previewFill: FillPreview;
  /** Makes a synthetic image again from its lineage and compares the bytes. */
  regenerate: RegenerateResult;
  /** Verifies the uploaded ONNX files (contract, metadata, sha256) and registers them. */
  registerModel: ModelVersion;
  removeImageTags: Scalars["Int"]["output"];
  /**
   * A presigned PUT for a detector's ONNX file of exactly bytes bytes (see
   * packages/generator/README.md for the contract).
   */
  requestDetectorUpload: DetectorUpload;
  /**
   * Queues a fill. Refused, with nothing written, when the class has fewer than K real train images
   * with boxes, the count is not in 1..limit, the class or model is unknown, the model's stored
   * bytes do not match their sha256 or are not a valid generator, a composite has no real train
   * image to be made on, or the options do not go together (copy-paste makes composites only and
   * uses no model; bestOf above 1 needs a model fill whose model has a critic).
   */
  requestFill: FillRequest;
  /**
   * A presigned PUT for the zip of an import. bytes is the zip's exact size in bytes (a whole
   * number; Float because imports may pass 2 GiB): the URL accepts a body of that size only.
   */
  requestImportUpload: ImportUpload;
  /**
   * Presigned PUTs for a model's ONNX files; each URL accepts a body of exactly the announced size.
   * Without criticBytes, no critic URL is made.
   */
  requestModelUpload: ModelUpload;
  /** A presigned PUT for a zip of prediction files of exactly bytes bytes (a whole number). */
  requestPredictionUpload: PredictionUpload;
  requestUpload: UploadTicket;
  /** Accepts, rejects or resets synthetic images (up to 500 at once). */
  reviewImages: ReviewResult;
  revokeApiToken: ApiToken;
  /**
   * Checks an uploaded detector (sha256, the detector contract) and runs it over a version's split on
   * a worker, as a prediction run (source MODEL); predictions below minScore are not kept.
   */
  runDetector: PredictionRun;
  setImageCapture: Image;
  /** Attaches an image to the device that took it and/or the tower it shows (null detaches). */
  setImageSource: Image;
  setImageSplit: Scalars["Int"]["output"];
  setUserRole: User;
  /**
   * Imports an uploaded zip (Pascal VOC, COCO or YOLO) as a background job. Idempotent: images the
   * dataset holds gain only missing boxes. classMap renames classes ({"from": "to"}; null drops).
   * metadataOnly: the zip holds only the label files and each image is already the object
   * <bucketPrefix><image path> of the images bucket; rows are written in batches without decoding or
   * uploading images (boxes match only when exactly equal).
   */
  startImport: ImportJob;
  updateAnnotation: Annotation;
  updateClass: DefectClass;
  updateDataset: Dataset;
  updateDevice: Device;
  updateLine: PowerLine;
  updateTower: Tower;
};

export type MutationAcceptPredictionArgs = {
  predictionId: Scalars["ID"]["input"];
  runId: Scalars["ID"]["input"];
};

export type MutationAcceptPredictionsAboveArgs = {
  minScore: Scalars["Float"]["input"];
  runId: Scalars["ID"]["input"];
};

export type MutationActivateModelArgs = {
  id: Scalars["ID"]["input"];
};

export type MutationAddImageTagsArgs = {
  imageIds: Array<Scalars["ID"]["input"]>;
  tags: Array<Scalars["String"]["input"]>;
};

export type MutationCancelFillArgs = {
  id: Scalars["ID"]["input"];
};

export type MutationConfirmUploadArgs = {
  datasetId: Scalars["ID"]["input"];
  uploadId: Scalars["ID"]["input"];
};

export type MutationCreateAnnotationArgs = {
  imageId: Scalars["ID"]["input"];
  input: CreateAnnotationInput;
};

export type MutationCreateApiTokenArgs = {
  expiresInDays?: InputMaybe<Scalars["Int"]["input"]>;
  name: Scalars["String"]["input"];
};

export type MutationCreateClassArgs = {
  datasetId: Scalars["ID"]["input"];
  input: CreateClassInput;
};

export type MutationCreateDatasetArgs = {
  input: CreateDatasetInput;
};

export type MutationCreateDeviceArgs = {
  input: CreateDeviceInput;
};

export type MutationCreateLineArgs = {
  input: CreateLineInput;
};

export type MutationCreateMetricArgs = {
  input: CreateMetricInput;
};

export type MutationCreateTowerArgs = {
  input: CreateTowerInput;
};

export type MutationCreateUserArgs = {
  input: CreateUserInput;
};

export type MutationCreateVersionArgs = {
  datasetId: Scalars["ID"]["input"];
  note?: InputMaybe<Scalars["String"]["input"]>;
};

export type MutationDecideLabelErrorArgs = {
  action: LabelDecisionAction;
  box?: InputMaybe<BoxInput>;
  classId?: InputMaybe<Scalars["ID"]["input"]>;
  key: Scalars["ID"]["input"];
  runId: Scalars["ID"]["input"];
};

export type MutationDeleteAnnotationArgs = {
  id: Scalars["ID"]["input"];
};

export type MutationDeleteClassArgs = {
  id: Scalars["ID"]["input"];
};

export type MutationDeleteDatasetArgs = {
  id: Scalars["ID"]["input"];
};

export type MutationDeleteDeviceArgs = {
  id: Scalars["ID"]["input"];
};

export type MutationDeleteImagesArgs = {
  imageIds: Array<Scalars["ID"]["input"]>;
};

export type MutationDeleteLineArgs = {
  id: Scalars["ID"]["input"];
};

export type MutationDeleteTowerArgs = {
  id: Scalars["ID"]["input"];
};

export type MutationExportVersionArgs = {
  format: DatasetFormat;
  includeSynthetic?: InputMaybe<SyntheticInclusion>;
  splits?: InputMaybe<Array<Split>>;
  syntheticShareCap?: InputMaybe<Scalars["Float"]["input"]>;
  versionId: Scalars["ID"]["input"];
};

export type MutationImportPredictionsArgs = {
  classMap?: InputMaybe<Scalars["JSON"]["input"]>;
  datasetId: Scalars["ID"]["input"];
  format: DatasetFormat;
  name?: InputMaybe<Scalars["String"]["input"]>;
  source: Scalars["String"]["input"];
  split: Split;
  version: Scalars["Int"]["input"];
};

export type MutationIngestReadingsArgs = {
  batch: Array<ReadingInput>;
};

export type MutationIssueDeviceCredentialArgs = {
  id: Scalars["ID"]["input"];
};

export type MutationLoginArgs = {
  email: Scalars["String"]["input"];
  password: Scalars["String"]["input"];
};

export type MutationPreviewFillArgs = {
  input: RequestFillInput;
  samples?: InputMaybe<Scalars["Int"]["input"]>;
};

export type MutationRegenerateArgs = {
  imageId: Scalars["ID"]["input"];
};

export type MutationRegisterModelArgs = {
  input: RegisterModelInput;
};

export type MutationRemoveImageTagsArgs = {
  imageIds: Array<Scalars["ID"]["input"]>;
  tags: Array<Scalars["String"]["input"]>;
};

export type MutationRequestDetectorUploadArgs = {
  bytes: Scalars["Int"]["input"];
  datasetId: Scalars["ID"]["input"];
};

export type MutationRequestFillArgs = {
  input: RequestFillInput;
};

export type MutationRequestImportUploadArgs = {
  bytes: Scalars["Float"]["input"];
  datasetId: Scalars["ID"]["input"];
};

export type MutationRequestModelUploadArgs = {
  criticBytes?: InputMaybe<Scalars["Int"]["input"]>;
  generatorBytes: Scalars["Int"]["input"];
};

export type MutationRequestPredictionUploadArgs = {
  bytes: Scalars["Float"]["input"];
  datasetId: Scalars["ID"]["input"];
};

export type MutationRequestUploadArgs = {
  datasetId: Scalars["ID"]["input"];
  input: UploadRequestInput;
};

export type MutationReviewImagesArgs = {
  decision: ReviewDecision;
  imageIds: Array<Scalars["ID"]["input"]>;
};

export type MutationRevokeApiTokenArgs = {
  id: Scalars["ID"]["input"];
};

export type MutationRunDetectorArgs = {
  datasetId: Scalars["ID"]["input"];
  minScore?: InputMaybe<Scalars["Float"]["input"]>;
  name?: InputMaybe<Scalars["String"]["input"]>;
  sha256: Scalars["String"]["input"];
  source: Scalars["String"]["input"];
  split: Split;
  version: Scalars["Int"]["input"];
};

export type MutationSetImageCaptureArgs = {
  capturedAt?: InputMaybe<Scalars["DateTime"]["input"]>;
  imageId: Scalars["ID"]["input"];
};

export type MutationSetImageSourceArgs = {
  deviceId?: InputMaybe<Scalars["ID"]["input"]>;
  imageId: Scalars["ID"]["input"];
  towerId?: InputMaybe<Scalars["ID"]["input"]>;
};

export type MutationSetImageSplitArgs = {
  imageIds: Array<Scalars["ID"]["input"]>;
  split: Split;
};

export type MutationSetUserRoleArgs = {
  role: Role;
  userId: Scalars["ID"]["input"];
};

export type MutationStartImportArgs = {
  bucketPrefix?: InputMaybe<Scalars["String"]["input"]>;
  classMap?: InputMaybe<Scalars["JSON"]["input"]>;
  datasetId: Scalars["ID"]["input"];
  format: DatasetFormat;
  metadataOnly?: InputMaybe<Scalars["Boolean"]["input"]>;
  source: Scalars["String"]["input"];
  split?: InputMaybe<Split>;
};

export type MutationUpdateAnnotationArgs = {
  id: Scalars["ID"]["input"];
  input: UpdateAnnotationInput;
};

export type MutationUpdateClassArgs = {
  id: Scalars["ID"]["input"];
  input: UpdateClassInput;
};

export type MutationUpdateDatasetArgs = {
  id: Scalars["ID"]["input"];
  input: UpdateDatasetInput;
};

export type MutationUpdateDeviceArgs = {
  id: Scalars["ID"]["input"];
  input: UpdateDeviceInput;
};

export type MutationUpdateLineArgs = {
  id: Scalars["ID"]["input"];
  input: UpdateLineInput;
};

export type MutationUpdateTowerArgs = {
  id: Scalars["ID"]["input"];
  input: UpdateTowerInput;
};

export type Origin = "REAL" | "SYNTHETIC";

export type PageInfo = {
  __typename?: "PageInfo";
  endCursor?: Maybe<Scalars["String"]["output"]>;
  hasNextPage: Scalars["Boolean"]["output"];
};

export type PowerLine = {
  __typename?: "PowerLine";
  createdAt: Scalars["DateTime"]["output"];
  id: Scalars["ID"]["output"];
  name: Scalars["String"]["output"];
  towers: Array<Tower>;
  voltageKv: Scalars["Float"]["output"];
};

export type PrPoint = {
  __typename?: "PrPoint";
  precision: Scalars["Float"]["output"];
  recall: Scalars["Float"]["output"];
  /** Score at which this recall is reached; null past the largest recall. */
  score?: Maybe<Scalars["Float"]["output"]>;
};

export type Prediction = {
  __typename?: "Prediction";
  box: Box;
  defectClass: DefectClass;
  id: Scalars["ID"]["output"];
  imageId: Scalars["ID"]["output"];
  score: Scalars["Float"]["output"];
};

export type PredictionConnection = {
  __typename?: "PredictionConnection";
  edges: Array<PredictionEdge>;
  pageInfo: PageInfo;
};

export type PredictionEdge = {
  __typename?: "PredictionEdge";
  cursor: Scalars["String"]["output"];
  node: Prediction;
};

/**
 * Where a run errs, matched as the evaluation matches (per image and class, best score first, each
 * box taken once). Only the REAL images of the run's split can match.
 */
export type PredictionErrorFilter = {
  /** Any class when absent. */
  classId?: InputMaybe<Scalars["ID"]["input"]>;
  /** Predictions from this score count, in [0, 1]. */
  confidence?: InputMaybe<Scalars["Float"]["input"]>;
  /** A prediction matches a box from this IoU, in (0, 1]. */
  iou?: InputMaybe<Scalars["Float"]["input"]>;
  kind: PredictionErrorKind;
  runId: Scalars["ID"]["input"];
};

export type PredictionErrorKind =
  /** A box of the class that no prediction of the class, from the confidence, matches. */
  | "FALSE_NEGATIVE"
  /** A prediction of the class, from the confidence, that matches no box of the class. */
  | "FALSE_POSITIVE";

/** One problem with one prediction file (or, for resolution problems, the image it names). */
export type PredictionFileError = {
  __typename?: "PredictionFileError";
  /** BAD_SCORE, BOX_OUT_OF_BOUNDS, UNKNOWN_CATEGORY, DUPLICATE_ID, MALFORMED_JSON… */
  code: Scalars["String"]["output"];
  file: Scalars["String"]["output"];
  message: Scalars["String"]["output"];
};

/** A detector's predictions on one split of a dataset version. */
export type PredictionRun = {
  __typename?: "PredictionRun";
  createdAt: Scalars["DateTime"]["output"];
  dataset: Dataset;
  done: Scalars["Int"]["output"];
  /** Why the run was refused: no prediction is written then. */
  errors: Array<PredictionFileError>;
  finishedAt?: Maybe<Scalars["DateTime"]["output"]>;
  format?: Maybe<DatasetFormat>;
  id: Scalars["ID"]["output"];
  message?: Maybe<Scalars["String"]["output"]>;
  modelSha256?: Maybe<Scalars["String"]["output"]>;
  name: Scalars["String"]["output"];
  parameters: Scalars["JSON"]["output"];
  predictionCount: Scalars["Int"]["output"];
  predictions: PredictionConnection;
  source: PredictionSource;
  split: Split;
  status: JobStatus;
  total?: Maybe<Scalars["Int"]["output"]>;
  /** Image names in the files that the split does not hold (the first 1,000). */
  unknownImages: Array<Scalars["String"]["output"]>;
  /** The number of the version the run was made for. */
  versionNumber: Scalars["Int"]["output"];
};

/** A detector's predictions on one split of a dataset version. */
export type PredictionRunPredictionsArgs = {
  after?: InputMaybe<Scalars["String"]["input"]>;
  first?: InputMaybe<Scalars["Int"]["input"]>;
  imageId?: InputMaybe<Scalars["ID"]["input"]>;
  minScore?: InputMaybe<Scalars["Float"]["input"]>;
};

export type PredictionRunConnection = {
  __typename?: "PredictionRunConnection";
  edges: Array<PredictionRunEdge>;
  pageInfo: PageInfo;
};

export type PredictionRunEdge = {
  __typename?: "PredictionRunEdge";
  cursor: Scalars["String"]["output"];
  node: PredictionRun;
};

export type PredictionSource = "IMPORT" | "MODEL";

export type PredictionUpload = {
  __typename?: "PredictionUpload";
  expiresAt: Scalars["DateTime"]["output"];
  headers: Scalars["JSON"]["output"];
  /** Pass this to importPredictions once the PUT has finished. */
  key: Scalars["String"]["output"];
  url: Scalars["String"]["output"];
};

export type PrelabelResult = {
  __typename?: "PrelabelResult";
  boxes: Scalars["Int"]["output"];
  images: Scalars["Int"]["output"];
};

export type Query = {
  __typename?: "Query";
  _health: Scalars["String"]["output"];
  apiTokens: Array<ApiToken>;
  auditEvents: AuditEventConnection;
  balance: BalanceStatistics;
  /** Two runs class by class (other − base). */
  compareRuns: RunComparison;
  /** By id or by (unique) name. */
  dataset?: Maybe<Dataset>;
  datasets: DatasetConnection;
  /** Telemetry that could not be ingested, newest first. */
  deadLetters: DeadLetterConnection;
  device?: Maybe<Device>;
  devices: DeviceConnection;
  /** A run against the live labels of its split; iou for P/R/F1, the curve and the confusion matrix. */
  evaluation: Evaluation;
  exportJob?: Maybe<ExportJob>;
  fillPlan: FillPlan;
  fillRequest?: Maybe<FillRequest>;
  /** The dataset's fill requests, newest first. */
  fillRequests: Array<FillRequest>;
  image?: Maybe<Image>;
  /** Tags used in the dataset, most used first. */
  imageTags: Array<Scalars["String"]["output"]>;
  images: ImageConnection;
  importJob?: Maybe<ImportJob>;
  /** The dataset's most recent imports, newest first. */
  importJobs: Array<ImportJob>;
  /** Where the run disagrees with the labels, most suspicious first, without decided candidates. */
  labelErrorCandidates: LabelErrorQueue;
  lineage?: Maybe<Lineage>;
  lines: Array<PowerLine>;
  /** The caller, or null when not signed in. */
  me?: Maybe<User>;
  metrics: Array<Metric>;
  modelVersion?: Maybe<ModelVersion>;
  /** Registered models, active first, newest first. */
  modelVersions: Array<ModelVersion>;
  predictionRun?: Maybe<PredictionRun>;
  /** The dataset's prediction runs, newest first. */
  predictionRuns: PredictionRunConnection;
  /**
   * A device's readings of one metric in [from, to). With `bucket` ("30 seconds", "1 minute",
   * "15 minutes", "1 hour", "1 day"; units second, minute, hour, day) the readings are downsampled
   * on the server with date_bin; without it the raw readings are returned. At most 10,000 points:
   * a range that would yield more is refused.
   */
  readings: ReadingSeries;
  sensorBandBalance: SensorBandBalance;
  towers: Array<Tower>;
  users: Array<User>;
  version?: Maybe<DatasetVersion>;
  versionDiff: VersionDiff;
  /** The dataset's versions, newest first. */
  versions: Array<DatasetVersion>;
};

export type QueryAuditEventsArgs = {
  after?: InputMaybe<Scalars["String"]["input"]>;
  datasetId?: InputMaybe<Scalars["ID"]["input"]>;
  first?: InputMaybe<Scalars["Int"]["input"]>;
};

export type QueryBalanceArgs = {
  datasetId: Scalars["ID"]["input"];
  splits?: InputMaybe<Array<Split>>;
  unit?: InputMaybe<BalanceUnit>;
};

export type QueryCompareRunsArgs = {
  baseRunId: Scalars["ID"]["input"];
  confidence?: InputMaybe<Scalars["Float"]["input"]>;
  iou?: InputMaybe<Scalars["Float"]["input"]>;
  otherRunId: Scalars["ID"]["input"];
};

export type QueryDatasetArgs = {
  id?: InputMaybe<Scalars["ID"]["input"]>;
  name?: InputMaybe<Scalars["String"]["input"]>;
};

export type QueryDatasetsArgs = {
  after?: InputMaybe<Scalars["String"]["input"]>;
  first?: InputMaybe<Scalars["Int"]["input"]>;
};

export type QueryDeadLettersArgs = {
  after?: InputMaybe<Scalars["String"]["input"]>;
  first?: InputMaybe<Scalars["Int"]["input"]>;
};

export type QueryDeviceArgs = {
  id: Scalars["ID"]["input"];
};

export type QueryDevicesArgs = {
  after?: InputMaybe<Scalars["String"]["input"]>;
  first?: InputMaybe<Scalars["Int"]["input"]>;
  towerId?: InputMaybe<Scalars["ID"]["input"]>;
};

export type QueryEvaluationArgs = {
  confidence?: InputMaybe<Scalars["Float"]["input"]>;
  iou?: InputMaybe<Scalars["Float"]["input"]>;
  runId: Scalars["ID"]["input"];
};

export type QueryExportJobArgs = {
  id: Scalars["ID"]["input"];
};

export type QueryFillPlanArgs = {
  datasetId: Scalars["ID"]["input"];
  shots?: InputMaybe<Scalars["Int"]["input"]>;
  strategy: FillStrategyInput;
};

export type QueryFillRequestArgs = {
  id: Scalars["ID"]["input"];
};

export type QueryFillRequestsArgs = {
  datasetId: Scalars["ID"]["input"];
  first?: InputMaybe<Scalars["Int"]["input"]>;
  status?: InputMaybe<Array<FillStatus>>;
};

export type QueryImageArgs = {
  id: Scalars["ID"]["input"];
};

export type QueryImageTagsArgs = {
  datasetId: Scalars["ID"]["input"];
};

export type QueryImagesArgs = {
  after?: InputMaybe<Scalars["String"]["input"]>;
  datasetId: Scalars["ID"]["input"];
  filter?: InputMaybe<ImageFilter>;
  first?: InputMaybe<Scalars["Int"]["input"]>;
};

export type QueryImportJobArgs = {
  id: Scalars["ID"]["input"];
};

export type QueryImportJobsArgs = {
  datasetId: Scalars["ID"]["input"];
  first?: InputMaybe<Scalars["Int"]["input"]>;
};

export type QueryLabelErrorCandidatesArgs = {
  confidence?: InputMaybe<Scalars["Float"]["input"]>;
  first?: InputMaybe<Scalars["Int"]["input"]>;
  iou?: InputMaybe<Scalars["Float"]["input"]>;
  kind?: InputMaybe<LabelErrorKind>;
  runId: Scalars["ID"]["input"];
};

export type QueryLineageArgs = {
  imageId: Scalars["ID"]["input"];
};

export type QueryModelVersionArgs = {
  id: Scalars["ID"]["input"];
};

export type QueryPredictionRunArgs = {
  id: Scalars["ID"]["input"];
};

export type QueryPredictionRunsArgs = {
  after?: InputMaybe<Scalars["String"]["input"]>;
  datasetId: Scalars["ID"]["input"];
  first?: InputMaybe<Scalars["Int"]["input"]>;
};

export type QueryReadingsArgs = {
  bucket?: InputMaybe<Scalars["String"]["input"]>;
  deviceId: Scalars["ID"]["input"];
  from: Scalars["DateTime"]["input"];
  metric: Scalars["String"]["input"];
  to: Scalars["DateTime"]["input"];
};

export type QuerySensorBandBalanceArgs = {
  bands?: InputMaybe<Array<Scalars["Float"]["input"]>>;
  datasetId: Scalars["ID"]["input"];
  metric: Scalars["String"]["input"];
  quantiles?: InputMaybe<Scalars["Int"]["input"]>;
  window?: InputMaybe<Scalars["Int"]["input"]>;
};

export type QueryTowersArgs = {
  lineId?: InputMaybe<Scalars["ID"]["input"]>;
};

export type QueryVersionArgs = {
  id: Scalars["ID"]["input"];
};

export type QueryVersionDiffArgs = {
  fromId: Scalars["ID"]["input"];
  toId: Scalars["ID"]["input"];
};

export type QueryVersionsArgs = {
  datasetId: Scalars["ID"]["input"];
};

export type ReadingInput = {
  /** Device.name */
  device: Scalars["String"]["input"];
  /** Metric.name */
  metric: Scalars["String"]["input"];
  /** ISO-8601 with offset, or epoch milliseconds as a string. */
  time: Scalars["String"]["input"];
  /** If given, must equal the metric's registered unit. */
  unit?: InputMaybe<Scalars["String"]["input"]>;
  value: Scalars["Float"]["input"];
};

/** One time bucket of a series. For raw readings (no bucket), min = avg = max = the value and count = 1. */
export type ReadingPoint = {
  __typename?: "ReadingPoint";
  avg: Scalars["Float"]["output"];
  count: Scalars["Int"]["output"];
  max: Scalars["Float"]["output"];
  min: Scalars["Float"]["output"];
  /** Start of the bucket (date_bin, aligned to 2000-01-01T00:00:00Z). */
  time: Scalars["DateTime"]["output"];
};

export type ReadingRejection = {
  __typename?: "ReadingRejection";
  code: Scalars["String"]["output"];
  /** Position in the batch, from 0. */
  index: Scalars["Int"]["output"];
  message: Scalars["String"]["output"];
};

export type ReadingSeries = {
  __typename?: "ReadingSeries";
  /** The bucket width, as given; null for raw readings. */
  bucket?: Maybe<Scalars["String"]["output"]>;
  device: Device;
  metric: Metric;
  points: Array<ReadingPoint>;
};

export type RegenerateResult = {
  __typename?: "RegenerateResult";
  executionProvider: Scalars["String"]["output"];
  identical: Scalars["Boolean"]["output"];
  /** sha256 of the stored image. */
  originalSha256: Scalars["String"]["output"];
  /** sha256 of the image made again from the lineage. */
  sha256: Scalars["String"]["output"];
  /** Presigned GET of the regenerated PNG (kept 1 hour). */
  url: Scalars["String"]["output"];
};

export type RegisterModelInput = {
  /** Make this the active model. */
  activate?: InputMaybe<Scalars["Boolean"]["input"]>;
  /** Staging key of the critic ONNX; optional, but fills without a critic have no scores. */
  criticKey?: InputMaybe<Scalars["String"]["input"]>;
  /** Staging key from requestModelUpload (the generator ONNX). */
  generatorKey: Scalars["String"]["input"];
  /** sha256 the caller expects for the generator; registration is refused when the bytes differ. */
  generatorSha256?: InputMaybe<Scalars["String"]["input"]>;
  metrics?: InputMaybe<Scalars["JSON"]["input"]>;
  name: Scalars["String"]["input"];
  version: Scalars["String"]["input"];
};

export type RequestFillInput = {
  /**
   * Model fills whose model has a critic: generate this many candidates per sample (1 to 8) and keep
   * the one the critic scores highest (realism + ln class score); N times slower. Defaults to 1, no
   * selection.
   */
  bestOf?: InputMaybe<Scalars["Int"]["input"]>;
  classId: Scalars["ID"]["input"];
  /** How many images to make (1 .. the configured limit). Give this or strategy. */
  count?: InputMaybe<Scalars["Int"]["input"]>;
  datasetId: Scalars["ID"]["input"];
  /** Defaults to CLEAN_ONLY. */
  hosts?: InputMaybe<HostChoice>;
  /** Defaults to MODEL when a model is named or active, COPY_PASTE otherwise. */
  method?: InputMaybe<FillMethod>;
  /** Defaults to the active model. */
  modelVersionId?: InputMaybe<Scalars["ID"]["input"]>;
  /** Defaults to COMPOSITE. */
  output?: InputMaybe<FillOutput>;
  /** 64-bit seed (decimal); random when omitted. */
  seed?: InputMaybe<Scalars["String"]["input"]>;
  /** Take the count from the fill plan for this class. */
  strategy?: InputMaybe<FillStrategyInput>;
};

export type ReviewDecision =
  | "ACCEPT"
  | "REJECT"
  /** Back to pending. */
  | "RESET";

export type ReviewResult = {
  __typename?: "ReviewResult";
  /** Images whose state changed. */
  changed: Scalars["Int"]["output"];
  images: Array<Image>;
};

export type ReviewState = "ACCEPTED" | "NONE" | "PENDING" | "REJECTED";

export type Role = "ADMIN" | "CURATOR" | "VIEWER";

export type RunComparison = {
  __typename?: "RunComparison";
  base: Evaluation;
  classes: Array<ClassComparison>;
  mapDelta?: Maybe<Scalars["Float"]["output"]>;
  other: Evaluation;
};

export type SensorBand = {
  __typename?: "SensorBand";
  /** Every class of the dataset, in name order (zero counts included). */
  classes: Array<SensorBandClassCount>;
  /** Images whose sensor value falls in the band. */
  images: Scalars["Int"]["output"];
  /** Inclusive lower edge; null for the open band below the first edge. */
  lower?: Maybe<Scalars["Float"]["output"]>;
  /** Exclusive upper edge; null for the open band above the last edge. */
  upper?: Maybe<Scalars["Float"]["output"]>;
};

/**
 * Class balance by sensor band. An image's sensor value is the average of `metric` over the readings
 * taken within ±window minutes of its capturedAt by the image's device and by every device on its
 * tower (the image's tower, else its device's tower). Images are counted under the dataset's
 * synthetic policy (real images, accepted synthetic ones, and pending ones when the dataset counts
 * them). With edges e1 < … < ek there are k + 1 bands: (-∞, e1), [e1, e2), …, [ek, ∞). With
 * `quantiles: q` the edges are the 1/q … (q-1)/q quantiles of the images' values (duplicates merged).
 */
export type SensorBandBalance = {
  __typename?: "SensorBandBalance";
  bands: Array<SensorBand>;
  edges: Array<Scalars["Float"]["output"]>;
  /** Images with a sensor value. */
  matched: Scalars["Int"]["output"];
  metric: Metric;
  /** Counted images without capturedAt, device or tower, or without readings in the window. */
  unmatched: Scalars["Int"]["output"];
  windowMinutes: Scalars["Int"]["output"];
};

export type SensorBandClassCount = {
  __typename?: "SensorBandClassCount";
  defectClass: DefectClass;
  /** Images in the band with at least one box of the class. */
  images: Scalars["Int"]["output"];
};

export type Split = "TEST" | "TRAIN" | "UNASSIGNED" | "VAL";

export type SplitCount = {
  __typename?: "SplitCount";
  boxes: Scalars["Int"]["output"];
  images: Scalars["Int"]["output"];
  split: Split;
};

export type Subscription = {
  __typename?: "Subscription";
  /** Emits the export job now, then whenever its progress or status changes, until it finishes. */
  exportJobUpdated: ExportJob;
  /** Emits the request whenever its progress or status changes (and once at start). */
  fillRequestUpdated: FillRequest;
  /** Emits any of the dataset's fill requests when its progress or status changes. */
  fillRequestsUpdated: FillRequest;
  /** Emits the import job now, then whenever its progress or status changes, until it finishes. */
  importJobUpdated: ImportJob;
};

export type SubscriptionExportJobUpdatedArgs = {
  id: Scalars["ID"]["input"];
};

export type SubscriptionFillRequestUpdatedArgs = {
  id: Scalars["ID"]["input"];
};

export type SubscriptionFillRequestsUpdatedArgs = {
  datasetId: Scalars["ID"]["input"];
};

export type SubscriptionImportJobUpdatedArgs = {
  id: Scalars["ID"]["input"];
};

export type SyntheticInclusion =
  /** Real images plus accepted synthetic ones, up to the synthetic share cap per class. */
  | "ACCEPTED"
  /** Real images only. */
  | "NONE";

/** Which synthetic images count (the dataset's policy; rejected ones never do). */
export type SyntheticPolicy = "ACCEPTED" | "ACCEPTED_AND_PENDING" | "NONE";

export type Tower = {
  __typename?: "Tower";
  createdAt: Scalars["DateTime"]["output"];
  devices: Array<Device>;
  id: Scalars["ID"]["output"];
  latitude: Scalars["Float"]["output"];
  line?: Maybe<PowerLine>;
  longitude: Scalars["Float"]["output"];
  name: Scalars["String"]["output"];
};

export type UpdateAnnotationInput = {
  box?: InputMaybe<BoxInput>;
  classId?: InputMaybe<Scalars["ID"]["input"]>;
};

export type UpdateClassInput = {
  assetType?: InputMaybe<AssetType>;
  color?: InputMaybe<Scalars["String"]["input"]>;
  /** null clears the host class. */
  hostClassId?: InputMaybe<Scalars["ID"]["input"]>;
  isHostObject?: InputMaybe<Scalars["Boolean"]["input"]>;
  name?: InputMaybe<Scalars["String"]["input"]>;
  /** null detaches the class from its parent. */
  parentId?: InputMaybe<Scalars["ID"]["input"]>;
  title?: InputMaybe<Scalars["String"]["input"]>;
};

export type UpdateDatasetInput = {
  countPendingSynthetic?: InputMaybe<Scalars["Boolean"]["input"]>;
  countUnreviewedPredicted?: InputMaybe<Scalars["Boolean"]["input"]>;
  description?: InputMaybe<Scalars["String"]["input"]>;
  name?: InputMaybe<Scalars["String"]["input"]>;
  syntheticShareCap?: InputMaybe<Scalars["Float"]["input"]>;
};

/** Fields left out stay as they are; `clearTower` / `clearLine` detach the device. */
export type UpdateDeviceInput = {
  clearLine?: InputMaybe<Scalars["Boolean"]["input"]>;
  clearTower?: InputMaybe<Scalars["Boolean"]["input"]>;
  kind?: InputMaybe<DeviceKind>;
  lineId?: InputMaybe<Scalars["ID"]["input"]>;
  metadata?: InputMaybe<Scalars["JSON"]["input"]>;
  name?: InputMaybe<Scalars["String"]["input"]>;
  towerId?: InputMaybe<Scalars["ID"]["input"]>;
};

/** Fields left out stay as they are. */
export type UpdateLineInput = {
  name?: InputMaybe<Scalars["String"]["input"]>;
  voltageKv?: InputMaybe<Scalars["Float"]["input"]>;
};

/** Fields left out stay as they are; `clearLine` takes the tower off its line. */
export type UpdateTowerInput = {
  clearLine?: InputMaybe<Scalars["Boolean"]["input"]>;
  latitude?: InputMaybe<Scalars["Float"]["input"]>;
  lineId?: InputMaybe<Scalars["ID"]["input"]>;
  longitude?: InputMaybe<Scalars["Float"]["input"]>;
  name?: InputMaybe<Scalars["String"]["input"]>;
};

export type UploadRequestInput = {
  bytes: Scalars["Int"]["input"];
  filename: Scalars["String"]["input"];
  mimeType: Scalars["String"]["input"];
  /** Lower-case hex sha256 of the file, computed by the client. */
  sha256: Scalars["String"]["input"];
};

export type UploadTicket = {
  __typename?: "UploadTicket";
  duplicateOf?: Maybe<Image>;
  expiresAt?: Maybe<Scalars["DateTime"]["output"]>;
  headers?: Maybe<Scalars["JSON"]["output"]>;
  /** Null when the dataset already holds this image (then duplicateOf is set). */
  uploadId?: Maybe<Scalars["ID"]["output"]>;
  /** Presigned PUT URL; send the bytes there with the given headers. */
  url?: Maybe<Scalars["String"]["output"]>;
};

export type User = {
  __typename?: "User";
  createdAt: Scalars["DateTime"]["output"];
  email: Scalars["String"]["output"];
  id: Scalars["ID"]["output"];
  name: Scalars["String"]["output"];
  role: Role;
};

export type VersionClassCount = {
  __typename?: "VersionClassCount";
  boxes: Scalars["Int"]["output"];
  className: Scalars["String"]["output"];
  images: Scalars["Int"]["output"];
  origin: Origin;
  reviewState: ReviewState;
  split: Split;
};

export type VersionDiff = {
  __typename?: "VersionDiff";
  /** The first 1,000 of each list (truncated is then true); the counts are exact. */
  added: Array<VersionDiffImage>;
  changed: Array<VersionDiffChange>;
  classDeltas: Array<ClassDelta>;
  from: DatasetVersion;
  /** Images (by sha256) in `to` and not in `from`. */
  imagesAdded: Scalars["Int"]["output"];
  /** Images in both whose boxes differ. */
  imagesChanged: Scalars["Int"]["output"];
  imagesRemoved: Scalars["Int"]["output"];
  removed: Array<VersionDiffImage>;
  to: DatasetVersion;
  truncated: Scalars["Boolean"]["output"];
};

export type VersionDiffChange = {
  __typename?: "VersionDiffChange";
  boxesAdded: Scalars["Int"]["output"];
  boxesAfter: Scalars["Int"]["output"];
  boxesBefore: Scalars["Int"]["output"];
  boxesRemoved: Scalars["Int"]["output"];
  filename: Scalars["String"]["output"];
  sha256: Scalars["String"]["output"];
};

export type VersionDiffImage = {
  __typename?: "VersionDiffImage";
  boxes: Scalars["Int"]["output"];
  filename: Scalars["String"]["output"];
  sha256: Scalars["String"]["output"];
  split: Split;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<
  TResult,
  TParent = Record<PropertyKey, never>,
  TContext = Record<PropertyKey, never>,
  TArgs = Record<PropertyKey, never>,
> =
  | ResolverFn<TResult, TParent, TContext, TArgs>
  | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo,
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo,
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo,
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<
  TResult,
  TKey extends string,
  TParent,
  TContext,
  TArgs,
> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<
  TResult,
  TKey extends string,
  TParent = Record<PropertyKey, never>,
  TContext = Record<PropertyKey, never>,
  TArgs = Record<PropertyKey, never>,
> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<
  TTypes,
  TParent = Record<PropertyKey, never>,
  TContext = Record<PropertyKey, never>,
> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo,
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<
  T = Record<PropertyKey, never>,
  TContext = Record<PropertyKey, never>,
> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<
  TResult = Record<PropertyKey, never>,
  TParent = Record<PropertyKey, never>,
  TContext = Record<PropertyKey, never>,
  TArgs = Record<PropertyKey, never>,
> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo,
) => TResult | Promise<TResult>;

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Annotation: ResolverTypeWrapper<AnnotationModel>;
  AnnotationReview: AnnotationReview;
  AnnotationSource: AnnotationSource;
  ApiToken: ResolverTypeWrapper<ApiTokenModel>;
  AssetType: AssetType;
  AuditEvent: ResolverTypeWrapper<AuditEventModel>;
  AuditEventConnection: ResolverTypeWrapper<
    Omit<AuditEventConnection, "edges"> & { edges: Array<ResolversTypes["AuditEventEdge"]> }
  >;
  AuditEventEdge: ResolverTypeWrapper<
    Omit<AuditEventEdge, "node"> & { node: ResolversTypes["AuditEvent"] }
  >;
  BalanceStatistics: ResolverTypeWrapper<
    Omit<BalanceStatistics, "classes" | "emptyClasses" | "maxClass" | "minClass"> & {
      classes: Array<ResolversTypes["ClassBalance"]>;
      emptyClasses: Array<ResolversTypes["DefectClass"]>;
      maxClass?: Maybe<ResolversTypes["DefectClass"]>;
      minClass?: Maybe<ResolversTypes["DefectClass"]>;
    }
  >;
  BalanceUnit: BalanceUnit;
  Boolean: ResolverTypeWrapper<Scalars["Boolean"]["output"]>;
  Box: ResolverTypeWrapper<Box>;
  BoxInput: BoxInput;
  ClassBalance: ResolverTypeWrapper<
    Omit<ClassBalance, "defectClass"> & { defectClass: ResolversTypes["DefectClass"] }
  >;
  ClassBoxCount: ResolverTypeWrapper<ClassBoxCount>;
  ClassComparison: ResolverTypeWrapper<ClassComparisonModel>;
  ClassDelta: ResolverTypeWrapper<ClassDelta>;
  ClassEvaluation: ResolverTypeWrapper<ClassEvaluationRowModel>;
  ClassFill: ResolverTypeWrapper<
    Omit<ClassFill, "defectClass"> & { defectClass: ResolversTypes["DefectClass"] }
  >;
  ClassRunScores: ResolverTypeWrapper<ClassRunScores>;
  ConfirmUploadResult: ResolverTypeWrapper<
    Omit<ConfirmUploadResult, "image"> & { image: ResolversTypes["Image"] }
  >;
  ContextSeries: ResolverTypeWrapper<ContextSeriesModel>;
  CreateAnnotationInput: CreateAnnotationInput;
  CreateClassInput: CreateClassInput;
  CreateDatasetInput: CreateDatasetInput;
  CreateDeviceInput: CreateDeviceInput;
  CreateLineInput: CreateLineInput;
  CreateMetricInput: CreateMetricInput;
  CreateTowerInput: CreateTowerInput;
  CreateUserInput: CreateUserInput;
  CreatedApiToken: ResolverTypeWrapper<
    Omit<CreatedApiToken, "apiToken"> & { apiToken: ResolversTypes["ApiToken"] }
  >;
  Dataset: ResolverTypeWrapper<DatasetModel>;
  DatasetConnection: ResolverTypeWrapper<
    Omit<DatasetConnection, "edges"> & { edges: Array<ResolversTypes["DatasetEdge"]> }
  >;
  DatasetEdge: ResolverTypeWrapper<Omit<DatasetEdge, "node"> & { node: ResolversTypes["Dataset"] }>;
  DatasetFormat: DatasetFormat;
  DatasetVersion: ResolverTypeWrapper<DatasetVersionModel>;
  DateTime: ResolverTypeWrapper<Scalars["DateTime"]["output"]>;
  DeadLetter: ResolverTypeWrapper<DeadLetterModel>;
  DeadLetterConnection: ResolverTypeWrapper<
    Omit<DeadLetterConnection, "edges"> & { edges: Array<ResolversTypes["DeadLetterEdge"]> }
  >;
  DeadLetterEdge: ResolverTypeWrapper<
    Omit<DeadLetterEdge, "node"> & { node: ResolversTypes["DeadLetter"] }
  >;
  DefectClass: ResolverTypeWrapper<DefectClassModel>;
  DetectorUpload: ResolverTypeWrapper<DetectorUpload>;
  Device: ResolverTypeWrapper<DeviceModel>;
  DeviceConnection: ResolverTypeWrapper<
    Omit<DeviceConnection, "edges"> & { edges: Array<ResolversTypes["DeviceEdge"]> }
  >;
  DeviceEdge: ResolverTypeWrapper<Omit<DeviceEdge, "node"> & { node: ResolversTypes["Device"] }>;
  DeviceKind: DeviceKind;
  Evaluation: ResolverTypeWrapper<RunEvaluationModel>;
  ExportJob: ResolverTypeWrapper<ExportJobModel>;
  FillLimit: FillLimit;
  FillMethod: FillMethod;
  FillOutput: FillOutput;
  FillPlan: ResolverTypeWrapper<
    Omit<FillPlan, "classes"> & { classes: Array<ResolversTypes["ClassFill"]> }
  >;
  FillPreview: ResolverTypeWrapper<FillPreview>;
  FillPreviewSample: ResolverTypeWrapper<FillPreviewSample>;
  FillRequest: ResolverTypeWrapper<FillRequestModel>;
  FillStatus: FillStatus;
  FillStrategyInput: FillStrategyInput;
  FillStrategyKind: FillStrategyKind;
  Float: ResolverTypeWrapper<Scalars["Float"]["output"]>;
  HostChoice: HostChoice;
  ID: ResolverTypeWrapper<Scalars["ID"]["output"]>;
  Image: ResolverTypeWrapper<ImageModel>;
  ImageConnection: ResolverTypeWrapper<ImagePageModel>;
  ImageContext: ResolverTypeWrapper<ImageContextResultModel>;
  ImageEdge: ResolverTypeWrapper<Omit<ImageEdge, "node"> & { node: ResolversTypes["Image"] }>;
  ImageFilter: ImageFilter;
  ImportFileError: ResolverTypeWrapper<ImportFileError>;
  ImportJob: ResolverTypeWrapper<ImportJobModel>;
  ImportUpload: ResolverTypeWrapper<ImportUpload>;
  IngestResult: ResolverTypeWrapper<IngestResult>;
  Int: ResolverTypeWrapper<Scalars["Int"]["output"]>;
  JSON: ResolverTypeWrapper<Scalars["JSON"]["output"]>;
  JobStatus: JobStatus;
  LabelDecisionAction: LabelDecisionAction;
  LabelDecisionResult: ResolverTypeWrapper<
    Omit<LabelDecisionResult, "annotation"> & { annotation?: Maybe<ResolversTypes["Annotation"]> }
  >;
  LabelErrorCandidate: ResolverTypeWrapper<RunCandidateModel>;
  LabelErrorKind: LabelErrorKind;
  LabelErrorQueue: ResolverTypeWrapper<
    Omit<LabelErrorQueue, "candidates"> & {
      candidates: Array<ResolversTypes["LabelErrorCandidate"]>;
    }
  >;
  Lineage: ResolverTypeWrapper<LineageModel>;
  LineageReference: ResolverTypeWrapper<
    Omit<LineageReference, "image"> & { image?: Maybe<ResolversTypes["Image"]> }
  >;
  LoginResult: ResolverTypeWrapper<Omit<LoginResult, "user"> & { user: ResolversTypes["User"] }>;
  Metric: ResolverTypeWrapper<MetricModel>;
  ModelStatus: ModelStatus;
  ModelUpload: ResolverTypeWrapper<ModelUpload>;
  ModelVersion: ResolverTypeWrapper<ModelVersionModel>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Origin: Origin;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PowerLine: ResolverTypeWrapper<PowerLineModel>;
  PrPoint: ResolverTypeWrapper<PrPoint>;
  Prediction: ResolverTypeWrapper<PredictionRowModel>;
  PredictionConnection: ResolverTypeWrapper<
    Omit<PredictionConnection, "edges"> & { edges: Array<ResolversTypes["PredictionEdge"]> }
  >;
  PredictionEdge: ResolverTypeWrapper<
    Omit<PredictionEdge, "node"> & { node: ResolversTypes["Prediction"] }
  >;
  PredictionErrorFilter: PredictionErrorFilter;
  PredictionErrorKind: PredictionErrorKind;
  PredictionFileError: ResolverTypeWrapper<PredictionFileError>;
  PredictionRun: ResolverTypeWrapper<PredictionRunModel>;
  PredictionRunConnection: ResolverTypeWrapper<
    Omit<PredictionRunConnection, "edges"> & { edges: Array<ResolversTypes["PredictionRunEdge"]> }
  >;
  PredictionRunEdge: ResolverTypeWrapper<
    Omit<PredictionRunEdge, "node"> & { node: ResolversTypes["PredictionRun"] }
  >;
  PredictionSource: PredictionSource;
  PredictionUpload: ResolverTypeWrapper<PredictionUpload>;
  PrelabelResult: ResolverTypeWrapper<PrelabelResult>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReadingInput: ReadingInput;
  ReadingPoint: ResolverTypeWrapper<ReadingPoint>;
  ReadingRejection: ResolverTypeWrapper<ReadingRejection>;
  ReadingSeries: ResolverTypeWrapper<
    Omit<ReadingSeries, "device" | "metric"> & {
      device: ResolversTypes["Device"];
      metric: ResolversTypes["Metric"];
    }
  >;
  RegenerateResult: ResolverTypeWrapper<RegenerateResult>;
  RegisterModelInput: RegisterModelInput;
  RequestFillInput: RequestFillInput;
  ReviewDecision: ReviewDecision;
  ReviewResult: ResolverTypeWrapper<
    Omit<ReviewResult, "images"> & { images: Array<ResolversTypes["Image"]> }
  >;
  ReviewState: ReviewState;
  Role: Role;
  RunComparison: ResolverTypeWrapper<
    Omit<RunComparison, "base" | "classes" | "other"> & {
      base: ResolversTypes["Evaluation"];
      classes: Array<ResolversTypes["ClassComparison"]>;
      other: ResolversTypes["Evaluation"];
    }
  >;
  SensorBand: ResolverTypeWrapper<
    Omit<SensorBand, "classes"> & { classes: Array<ResolversTypes["SensorBandClassCount"]> }
  >;
  SensorBandBalance: ResolverTypeWrapper<
    Omit<SensorBandBalance, "bands" | "metric"> & {
      bands: Array<ResolversTypes["SensorBand"]>;
      metric: ResolversTypes["Metric"];
    }
  >;
  SensorBandClassCount: ResolverTypeWrapper<SensorBandClassRowModel>;
  Split: Split;
  SplitCount: ResolverTypeWrapper<SplitCount>;
  String: ResolverTypeWrapper<Scalars["String"]["output"]>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SyntheticInclusion: SyntheticInclusion;
  SyntheticPolicy: SyntheticPolicy;
  Tower: ResolverTypeWrapper<TowerModel>;
  UpdateAnnotationInput: UpdateAnnotationInput;
  UpdateClassInput: UpdateClassInput;
  UpdateDatasetInput: UpdateDatasetInput;
  UpdateDeviceInput: UpdateDeviceInput;
  UpdateLineInput: UpdateLineInput;
  UpdateTowerInput: UpdateTowerInput;
  UploadRequestInput: UploadRequestInput;
  UploadTicket: ResolverTypeWrapper<
    Omit<UploadTicket, "duplicateOf"> & { duplicateOf?: Maybe<ResolversTypes["Image"]> }
  >;
  User: ResolverTypeWrapper<PublicUserModel>;
  VersionClassCount: ResolverTypeWrapper<DatasetVersionClassCountModel>;
  VersionDiff: ResolverTypeWrapper<
    Omit<VersionDiff, "from" | "to"> & {
      from: ResolversTypes["DatasetVersion"];
      to: ResolversTypes["DatasetVersion"];
    }
  >;
  VersionDiffChange: ResolverTypeWrapper<VersionDiffChange>;
  VersionDiffImage: ResolverTypeWrapper<VersionDiffImage>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Annotation: AnnotationModel;
  ApiToken: ApiTokenModel;
  AuditEvent: AuditEventModel;
  AuditEventConnection: Omit<AuditEventConnection, "edges"> & {
    edges: Array<ResolversParentTypes["AuditEventEdge"]>;
  };
  AuditEventEdge: Omit<AuditEventEdge, "node"> & { node: ResolversParentTypes["AuditEvent"] };
  BalanceStatistics: Omit<
    BalanceStatistics,
    "classes" | "emptyClasses" | "maxClass" | "minClass"
  > & {
    classes: Array<ResolversParentTypes["ClassBalance"]>;
    emptyClasses: Array<ResolversParentTypes["DefectClass"]>;
    maxClass?: Maybe<ResolversParentTypes["DefectClass"]>;
    minClass?: Maybe<ResolversParentTypes["DefectClass"]>;
  };
  Boolean: Scalars["Boolean"]["output"];
  Box: Box;
  BoxInput: BoxInput;
  ClassBalance: Omit<ClassBalance, "defectClass"> & {
    defectClass: ResolversParentTypes["DefectClass"];
  };
  ClassBoxCount: ClassBoxCount;
  ClassComparison: ClassComparisonModel;
  ClassDelta: ClassDelta;
  ClassEvaluation: ClassEvaluationRowModel;
  ClassFill: Omit<ClassFill, "defectClass"> & { defectClass: ResolversParentTypes["DefectClass"] };
  ClassRunScores: ClassRunScores;
  ConfirmUploadResult: Omit<ConfirmUploadResult, "image"> & {
    image: ResolversParentTypes["Image"];
  };
  ContextSeries: ContextSeriesModel;
  CreateAnnotationInput: CreateAnnotationInput;
  CreateClassInput: CreateClassInput;
  CreateDatasetInput: CreateDatasetInput;
  CreateDeviceInput: CreateDeviceInput;
  CreateLineInput: CreateLineInput;
  CreateMetricInput: CreateMetricInput;
  CreateTowerInput: CreateTowerInput;
  CreateUserInput: CreateUserInput;
  CreatedApiToken: Omit<CreatedApiToken, "apiToken"> & {
    apiToken: ResolversParentTypes["ApiToken"];
  };
  Dataset: DatasetModel;
  DatasetConnection: Omit<DatasetConnection, "edges"> & {
    edges: Array<ResolversParentTypes["DatasetEdge"]>;
  };
  DatasetEdge: Omit<DatasetEdge, "node"> & { node: ResolversParentTypes["Dataset"] };
  DatasetVersion: DatasetVersionModel;
  DateTime: Scalars["DateTime"]["output"];
  DeadLetter: DeadLetterModel;
  DeadLetterConnection: Omit<DeadLetterConnection, "edges"> & {
    edges: Array<ResolversParentTypes["DeadLetterEdge"]>;
  };
  DeadLetterEdge: Omit<DeadLetterEdge, "node"> & { node: ResolversParentTypes["DeadLetter"] };
  DefectClass: DefectClassModel;
  DetectorUpload: DetectorUpload;
  Device: DeviceModel;
  DeviceConnection: Omit<DeviceConnection, "edges"> & {
    edges: Array<ResolversParentTypes["DeviceEdge"]>;
  };
  DeviceEdge: Omit<DeviceEdge, "node"> & { node: ResolversParentTypes["Device"] };
  Evaluation: RunEvaluationModel;
  ExportJob: ExportJobModel;
  FillPlan: Omit<FillPlan, "classes"> & { classes: Array<ResolversParentTypes["ClassFill"]> };
  FillPreview: FillPreview;
  FillPreviewSample: FillPreviewSample;
  FillRequest: FillRequestModel;
  FillStrategyInput: FillStrategyInput;
  Float: Scalars["Float"]["output"];
  ID: Scalars["ID"]["output"];
  Image: ImageModel;
  ImageConnection: ImagePageModel;
  ImageContext: ImageContextResultModel;
  ImageEdge: Omit<ImageEdge, "node"> & { node: ResolversParentTypes["Image"] };
  ImageFilter: ImageFilter;
  ImportFileError: ImportFileError;
  ImportJob: ImportJobModel;
  ImportUpload: ImportUpload;
  IngestResult: IngestResult;
  Int: Scalars["Int"]["output"];
  JSON: Scalars["JSON"]["output"];
  LabelDecisionResult: Omit<LabelDecisionResult, "annotation"> & {
    annotation?: Maybe<ResolversParentTypes["Annotation"]>;
  };
  LabelErrorCandidate: RunCandidateModel;
  LabelErrorQueue: Omit<LabelErrorQueue, "candidates"> & {
    candidates: Array<ResolversParentTypes["LabelErrorCandidate"]>;
  };
  Lineage: LineageModel;
  LineageReference: Omit<LineageReference, "image"> & {
    image?: Maybe<ResolversParentTypes["Image"]>;
  };
  LoginResult: Omit<LoginResult, "user"> & { user: ResolversParentTypes["User"] };
  Metric: MetricModel;
  ModelUpload: ModelUpload;
  ModelVersion: ModelVersionModel;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  PowerLine: PowerLineModel;
  PrPoint: PrPoint;
  Prediction: PredictionRowModel;
  PredictionConnection: Omit<PredictionConnection, "edges"> & {
    edges: Array<ResolversParentTypes["PredictionEdge"]>;
  };
  PredictionEdge: Omit<PredictionEdge, "node"> & { node: ResolversParentTypes["Prediction"] };
  PredictionErrorFilter: PredictionErrorFilter;
  PredictionFileError: PredictionFileError;
  PredictionRun: PredictionRunModel;
  PredictionRunConnection: Omit<PredictionRunConnection, "edges"> & {
    edges: Array<ResolversParentTypes["PredictionRunEdge"]>;
  };
  PredictionRunEdge: Omit<PredictionRunEdge, "node"> & {
    node: ResolversParentTypes["PredictionRun"];
  };
  PredictionUpload: PredictionUpload;
  PrelabelResult: PrelabelResult;
  Query: Record<PropertyKey, never>;
  ReadingInput: ReadingInput;
  ReadingPoint: ReadingPoint;
  ReadingRejection: ReadingRejection;
  ReadingSeries: Omit<ReadingSeries, "device" | "metric"> & {
    device: ResolversParentTypes["Device"];
    metric: ResolversParentTypes["Metric"];
  };
  RegenerateResult: RegenerateResult;
  RegisterModelInput: RegisterModelInput;
  RequestFillInput: RequestFillInput;
  ReviewResult: Omit<ReviewResult, "images"> & { images: Array<ResolversParentTypes["Image"]> };
  RunComparison: Omit<RunComparison, "base" | "classes" | "other"> & {
    base: ResolversParentTypes["Evaluation"];
    classes: Array<ResolversParentTypes["ClassComparison"]>;
    other: ResolversParentTypes["Evaluation"];
  };
  SensorBand: Omit<SensorBand, "classes"> & {
    classes: Array<ResolversParentTypes["SensorBandClassCount"]>;
  };
  SensorBandBalance: Omit<SensorBandBalance, "bands" | "metric"> & {
    bands: Array<ResolversParentTypes["SensorBand"]>;
    metric: ResolversParentTypes["Metric"];
  };
  SensorBandClassCount: SensorBandClassRowModel;
  SplitCount: SplitCount;
  String: Scalars["String"]["output"];
  Subscription: Record<PropertyKey, never>;
  Tower: TowerModel;
  UpdateAnnotationInput: UpdateAnnotationInput;
  UpdateClassInput: UpdateClassInput;
  UpdateDatasetInput: UpdateDatasetInput;
  UpdateDeviceInput: UpdateDeviceInput;
  UpdateLineInput: UpdateLineInput;
  UpdateTowerInput: UpdateTowerInput;
  UploadRequestInput: UploadRequestInput;
  UploadTicket: Omit<UploadTicket, "duplicateOf"> & {
    duplicateOf?: Maybe<ResolversParentTypes["Image"]>;
  };
  User: PublicUserModel;
  VersionClassCount: DatasetVersionClassCountModel;
  VersionDiff: Omit<VersionDiff, "from" | "to"> & {
    from: ResolversParentTypes["DatasetVersion"];
    to: ResolversParentTypes["DatasetVersion"];
  };
  VersionDiffChange: VersionDiffChange;
  VersionDiffImage: VersionDiffImage;
}>;

export type AuthDirectiveArgs = {
  requires: Role;
};

export type AuthDirectiveResolver<
  Result,
  Parent,
  ContextType = ApiContext,
  Args = AuthDirectiveArgs,
> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CostDirectiveArgs = {
  weight: Scalars["Int"]["input"];
};

export type CostDirectiveResolver<
  Result,
  Parent,
  ContextType = ApiContext,
  Args = CostDirectiveArgs,
> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type PublicDirectiveArgs = {};

export type PublicDirectiveResolver<
  Result,
  Parent,
  ContextType = ApiContext,
  Args = PublicDirectiveArgs,
> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AnnotationResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Annotation"] = ResolversParentTypes["Annotation"],
> = ResolversObject<{
  author?: Resolver<Maybe<ResolversTypes["User"]>, ParentType, ContextType>;
  box?: Resolver<ResolversTypes["Box"], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  defectClass?: Resolver<ResolversTypes["DefectClass"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  image?: Resolver<ResolversTypes["Image"], ParentType, ContextType>;
  predictionRun?: Resolver<Maybe<ResolversTypes["PredictionRun"]>, ParentType, ContextType>;
  review?: Resolver<ResolversTypes["AnnotationReview"], ParentType, ContextType>;
  source?: Resolver<ResolversTypes["AnnotationSource"], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
}>;

export type ApiTokenResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ApiToken"] = ResolversParentTypes["ApiToken"],
> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
}>;

export type AuditEventResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["AuditEvent"] = ResolversParentTypes["AuditEvent"],
> = ResolversObject<{
  action?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  actor?: Resolver<Maybe<ResolversTypes["User"]>, ParentType, ContextType>;
  actorEmail?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  datasetId?: Resolver<Maybe<ResolversTypes["ID"]>, ParentType, ContextType>;
  details?: Resolver<Maybe<ResolversTypes["JSON"]>, ParentType, ContextType>;
  entityId?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  entityType?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
}>;

export type AuditEventConnectionResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["AuditEventConnection"] =
    ResolversParentTypes["AuditEventConnection"],
> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes["AuditEventEdge"]>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes["PageInfo"], ParentType, ContextType>;
}>;

export type AuditEventEdgeResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["AuditEventEdge"] =
    ResolversParentTypes["AuditEventEdge"],
> = ResolversObject<{
  cursor?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  node?: Resolver<ResolversTypes["AuditEvent"], ParentType, ContextType>;
}>;

export type BalanceStatisticsResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["BalanceStatistics"] =
    ResolversParentTypes["BalanceStatistics"],
> = ResolversObject<{
  classes?: Resolver<Array<ResolversTypes["ClassBalance"]>, ParentType, ContextType>;
  countUnreviewedPredicted?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
  emptyClasses?: Resolver<Array<ResolversTypes["DefectClass"]>, ParentType, ContextType>;
  imbalanceRatio?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  maxClass?: Resolver<Maybe<ResolversTypes["DefectClass"]>, ParentType, ContextType>;
  minClass?: Resolver<Maybe<ResolversTypes["DefectClass"]>, ParentType, ContextType>;
  normalizedEntropy?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  splits?: Resolver<Array<ResolversTypes["Split"]>, ParentType, ContextType>;
  syntheticPolicy?: Resolver<ResolversTypes["SyntheticPolicy"], ParentType, ContextType>;
  total?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  unit?: Resolver<ResolversTypes["BalanceUnit"], ParentType, ContextType>;
}>;

export type BoxResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Box"] = ResolversParentTypes["Box"],
> = ResolversObject<{
  height?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  width?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  x?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  y?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
}>;

export type ClassBalanceResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ClassBalance"] = ResolversParentTypes["ClassBalance"],
> = ResolversObject<{
  boxes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  bySplit?: Resolver<Array<ResolversTypes["SplitCount"]>, ParentType, ContextType>;
  counted?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  defectClass?: Resolver<ResolversTypes["DefectClass"], ParentType, ContextType>;
  images?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  real?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  share?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  syntheticAccepted?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  syntheticPending?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  unreviewedPredicted?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type ClassBoxCountResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ClassBoxCount"] = ResolversParentTypes["ClassBoxCount"],
> = ResolversObject<{
  boxes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  className?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type ClassComparisonResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ClassComparison"] =
    ResolversParentTypes["ClassComparison"],
> = ResolversObject<{
  ap50Delta?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  apDelta?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  base?: Resolver<ResolversTypes["ClassRunScores"], ParentType, ContextType>;
  defectClass?: Resolver<ResolversTypes["DefectClass"], ParentType, ContextType>;
  other?: Resolver<ResolversTypes["ClassRunScores"], ParentType, ContextType>;
  truths?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type ClassDeltaResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ClassDelta"] = ResolversParentTypes["ClassDelta"],
> = ResolversObject<{
  boxesAfter?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  boxesBefore?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  boxesDelta?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  className?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  imagesAfter?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  imagesBefore?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  imagesDelta?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type ClassEvaluationResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ClassEvaluation"] =
    ResolversParentTypes["ClassEvaluation"],
> = ResolversObject<{
  ap?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  ap50?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  ap75?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  apAtIou?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  curve?: Resolver<Array<ResolversTypes["PrPoint"]>, ParentType, ContextType>;
  defectClass?: Resolver<ResolversTypes["DefectClass"], ParentType, ContextType>;
  f1?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  falseNegatives?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  falsePositives?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  precision?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  predictions?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  recall?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  truePositives?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  truths?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type ClassFillResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ClassFill"] = ResolversParentTypes["ClassFill"],
> = ResolversObject<{
  after?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  blockedReason?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  current?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  defectClass?: Resolver<ResolversTypes["DefectClass"], ParentType, ContextType>;
  limitedBy?: Resolver<Maybe<ResolversTypes["FillLimit"]>, ParentType, ContextType>;
  realTrainImages?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  syntheticImages?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  target?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  toGenerate?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type ClassRunScoresResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ClassRunScores"] =
    ResolversParentTypes["ClassRunScores"],
> = ResolversObject<{
  ap?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  ap50?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  recall?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
}>;

export type ConfirmUploadResultResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ConfirmUploadResult"] =
    ResolversParentTypes["ConfirmUploadResult"],
> = ResolversObject<{
  duplicate?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
  image?: Resolver<ResolversTypes["Image"], ParentType, ContextType>;
}>;

export type ContextSeriesResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ContextSeries"] = ResolversParentTypes["ContextSeries"],
> = ResolversObject<{
  avg?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  count?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  device?: Resolver<ResolversTypes["Device"], ParentType, ContextType>;
  last?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  lastTime?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  max?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  metric?: Resolver<ResolversTypes["Metric"], ParentType, ContextType>;
  min?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  points?: Resolver<Array<ResolversTypes["ReadingPoint"]>, ParentType, ContextType>;
}>;

export type CreatedApiTokenResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["CreatedApiToken"] =
    ResolversParentTypes["CreatedApiToken"],
> = ResolversObject<{
  apiToken?: Resolver<ResolversTypes["ApiToken"], ParentType, ContextType>;
  token?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type DatasetResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Dataset"] = ResolversParentTypes["Dataset"],
> = ResolversObject<{
  balance?: Resolver<
    ResolversTypes["BalanceStatistics"],
    ParentType,
    ContextType,
    RequireFields<DatasetBalanceArgs, "unit">
  >;
  classes?: Resolver<Array<ResolversTypes["DefectClass"]>, ParentType, ContextType>;
  countPendingSynthetic?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
  countUnreviewedPredicted?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  description?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  imageCount?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  name?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  syntheticShareCap?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  versions?: Resolver<Array<ResolversTypes["DatasetVersion"]>, ParentType, ContextType>;
}>;

export type DatasetConnectionResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["DatasetConnection"] =
    ResolversParentTypes["DatasetConnection"],
> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes["DatasetEdge"]>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes["PageInfo"], ParentType, ContextType>;
}>;

export type DatasetEdgeResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["DatasetEdge"] = ResolversParentTypes["DatasetEdge"],
> = ResolversObject<{
  cursor?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  node?: Resolver<ResolversTypes["Dataset"], ParentType, ContextType>;
}>;

export type DatasetVersionResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["DatasetVersion"] =
    ResolversParentTypes["DatasetVersion"],
> = ResolversObject<{
  boxes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  classCounts?: Resolver<Array<ResolversTypes["VersionClassCount"]>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  dataset?: Resolver<ResolversTypes["Dataset"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  images?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  manifestSha256?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  note?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  number?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<
  ResolversTypes["DateTime"],
  any
> {
  name: "DateTime";
}

export type DeadLetterResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["DeadLetter"] = ResolversParentTypes["DeadLetter"],
> = ResolversObject<{
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  payload?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  source?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  topic?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
}>;

export type DeadLetterConnectionResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["DeadLetterConnection"] =
    ResolversParentTypes["DeadLetterConnection"],
> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes["DeadLetterEdge"]>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes["PageInfo"], ParentType, ContextType>;
}>;

export type DeadLetterEdgeResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["DeadLetterEdge"] =
    ResolversParentTypes["DeadLetterEdge"],
> = ResolversObject<{
  cursor?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  node?: Resolver<ResolversTypes["DeadLetter"], ParentType, ContextType>;
}>;

export type DefectClassResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["DefectClass"] = ResolversParentTypes["DefectClass"],
> = ResolversObject<{
  assetType?: Resolver<ResolversTypes["AssetType"], ParentType, ContextType>;
  children?: Resolver<Array<ResolversTypes["DefectClass"]>, ParentType, ContextType>;
  color?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  hostClass?: Resolver<Maybe<ResolversTypes["DefectClass"]>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  isHostObject?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
  name?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  parent?: Resolver<Maybe<ResolversTypes["DefectClass"]>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type DetectorUploadResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["DetectorUpload"] =
    ResolversParentTypes["DetectorUpload"],
> = ResolversObject<{
  expiresAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  headers?: Resolver<ResolversTypes["JSON"], ParentType, ContextType>;
  key?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  url?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type DeviceResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Device"] = ResolversParentTypes["Device"],
> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  hasCredential?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes["DeviceKind"], ParentType, ContextType>;
  line?: Resolver<Maybe<ResolversTypes["PowerLine"]>, ParentType, ContextType>;
  metadata?: Resolver<Maybe<ResolversTypes["JSON"]>, ParentType, ContextType>;
  mqttSecret?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  tower?: Resolver<Maybe<ResolversTypes["Tower"]>, ParentType, ContextType>;
}>;

export type DeviceConnectionResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["DeviceConnection"] =
    ResolversParentTypes["DeviceConnection"],
> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes["DeviceEdge"]>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes["PageInfo"], ParentType, ContextType>;
}>;

export type DeviceEdgeResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["DeviceEdge"] = ResolversParentTypes["DeviceEdge"],
> = ResolversObject<{
  cursor?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  node?: Resolver<ResolversTypes["Device"], ParentType, ContextType>;
}>;

export type EvaluationResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Evaluation"] = ResolversParentTypes["Evaluation"],
> = ResolversObject<{
  classes?: Resolver<Array<ResolversTypes["ClassEvaluation"]>, ParentType, ContextType>;
  confidence?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  confusion?: Resolver<Array<Array<ResolversTypes["Int"]>>, ParentType, ContextType>;
  confusionLabels?: Resolver<Array<ResolversTypes["String"]>, ParentType, ContextType>;
  images?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  iou?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  map?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  map50?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  run?: Resolver<ResolversTypes["PredictionRun"], ParentType, ContextType>;
}>;

export type ExportJobResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ExportJob"] = ResolversParentTypes["ExportJob"],
> = ResolversObject<{
  boxes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  bytes?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
  format?: Resolver<ResolversTypes["DatasetFormat"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  images?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  includeSynthetic?: Resolver<ResolversTypes["SyntheticInclusion"], ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  splits?: Resolver<Array<ResolversTypes["Split"]>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes["JobStatus"], ParentType, ContextType>;
  syntheticShareCap?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  url?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes["DatasetVersion"], ParentType, ContextType>;
}>;

export type FillPlanResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["FillPlan"] = ResolversParentTypes["FillPlan"],
> = ResolversObject<{
  classes?: Resolver<Array<ResolversTypes["ClassFill"]>, ParentType, ContextType>;
  currentImbalanceRatio?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  currentNormalizedEntropy?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  level?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  projectedImbalanceRatio?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  projectedNormalizedEntropy?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  shots?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  strategy?: Resolver<ResolversTypes["FillStrategyKind"], ParentType, ContextType>;
  syntheticPolicy?: Resolver<ResolversTypes["SyntheticPolicy"], ParentType, ContextType>;
  syntheticShareCap?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  totalToGenerate?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type FillPreviewResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["FillPreview"] = ResolversParentTypes["FillPreview"],
> = ResolversObject<{
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  samples?: Resolver<Array<ResolversTypes["FillPreviewSample"]>, ParentType, ContextType>;
  seed?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type FillPreviewSampleResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["FillPreviewSample"] =
    ResolversParentTypes["FillPreviewSample"],
> = ResolversObject<{
  boxes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  height?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  hostImageId?: Resolver<Maybe<ResolversTypes["ID"]>, ParentType, ContextType>;
  index?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  mimeType?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  placement?: Resolver<Maybe<ResolversTypes["Box"]>, ParentType, ContextType>;
  url?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  width?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type FillRequestResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["FillRequest"] = ResolversParentTypes["FillRequest"],
> = ResolversObject<{
  bestOf?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  cancelledAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
  completed?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  count?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  dataset?: Resolver<ResolversTypes["Dataset"], ParentType, ContextType>;
  defectClass?: Resolver<ResolversTypes["DefectClass"], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  executionProvider?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
  hosts?: Resolver<ResolversTypes["HostChoice"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  images?: Resolver<
    Array<ResolversTypes["Image"]>,
    ParentType,
    ContextType,
    RequireFields<FillRequestImagesArgs, "first">
  >;
  method?: Resolver<ResolversTypes["FillMethod"], ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes["ModelVersion"]>, ParentType, ContextType>;
  output?: Resolver<ResolversTypes["FillOutput"], ParentType, ContextType>;
  requestedBy?: Resolver<Maybe<ResolversTypes["User"]>, ParentType, ContextType>;
  seed?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  shots?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes["FillStatus"], ParentType, ContextType>;
  strategy?: Resolver<Maybe<ResolversTypes["JSON"]>, ParentType, ContextType>;
}>;

export type ImageResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Image"] = ResolversParentTypes["Image"],
> = ResolversObject<{
  annotations?: Resolver<Array<ResolversTypes["Annotation"]>, ParentType, ContextType>;
  bytes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  capturedAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
  context?: Resolver<
    Maybe<ResolversTypes["ImageContext"]>,
    ParentType,
    ContextType,
    RequireFields<ImageContextArgs, "window">
  >;
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  dataset?: Resolver<ResolversTypes["Dataset"], ParentType, ContextType>;
  device?: Resolver<Maybe<ResolversTypes["Device"]>, ParentType, ContextType>;
  filename?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  height?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  latitude?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  lineage?: Resolver<Maybe<ResolversTypes["Lineage"]>, ParentType, ContextType>;
  longitude?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  mimeType?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  origin?: Resolver<ResolversTypes["Origin"], ParentType, ContextType>;
  reviewState?: Resolver<ResolversTypes["ReviewState"], ParentType, ContextType>;
  sha256?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  split?: Resolver<ResolversTypes["Split"], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes["String"]>, ParentType, ContextType>;
  thumbnailUrl?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  tower?: Resolver<Maybe<ResolversTypes["Tower"]>, ParentType, ContextType>;
  url?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  width?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type ImageConnectionResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ImageConnection"] =
    ResolversParentTypes["ImageConnection"],
> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes["ImageEdge"]>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes["PageInfo"], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  totalCountCapped?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
}>;

export type ImageContextResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ImageContext"] = ResolversParentTypes["ImageContext"],
> = ResolversObject<{
  capturedAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  derived?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
  derivedFrom?: Resolver<Array<ResolversTypes["ID"]>, ParentType, ContextType>;
  devices?: Resolver<Array<ResolversTypes["Device"]>, ParentType, ContextType>;
  series?: Resolver<Array<ResolversTypes["ContextSeries"]>, ParentType, ContextType>;
  windowMinutes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type ImageEdgeResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ImageEdge"] = ResolversParentTypes["ImageEdge"],
> = ResolversObject<{
  cursor?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  node?: Resolver<ResolversTypes["Image"], ParentType, ContextType>;
}>;

export type ImportFileErrorResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ImportFileError"] =
    ResolversParentTypes["ImportFileError"],
> = ResolversObject<{
  code?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  file?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  message?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type ImportJobResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ImportJob"] = ResolversParentTypes["ImportJob"],
> = ResolversObject<{
  boxesAdded?: Resolver<Array<ResolversTypes["ClassBoxCount"]>, ParentType, ContextType>;
  bucketPrefix?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  dataset?: Resolver<ResolversTypes["Dataset"], ParentType, ContextType>;
  done?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  duplicates?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  errorCount?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  errors?: Resolver<Array<ResolversTypes["ImportFileError"]>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
  format?: Resolver<ResolversTypes["DatasetFormat"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  imagesAdded?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  metadataOnly?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
  source?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  split?: Resolver<Maybe<ResolversTypes["Split"]>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes["JobStatus"], ParentType, ContextType>;
  total?: Resolver<Maybe<ResolversTypes["Int"]>, ParentType, ContextType>;
}>;

export type ImportUploadResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ImportUpload"] = ResolversParentTypes["ImportUpload"],
> = ResolversObject<{
  expiresAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  headers?: Resolver<ResolversTypes["JSON"], ParentType, ContextType>;
  key?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  url?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type IngestResultResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["IngestResult"] = ResolversParentTypes["IngestResult"],
> = ResolversObject<{
  duplicates?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  received?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  rejected?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  rejections?: Resolver<Array<ResolversTypes["ReadingRejection"]>, ParentType, ContextType>;
  stored?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes["JSON"], any> {
  name: "JSON";
}

export type LabelDecisionResultResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["LabelDecisionResult"] =
    ResolversParentTypes["LabelDecisionResult"],
> = ResolversObject<{
  annotation?: Resolver<Maybe<ResolversTypes["Annotation"]>, ParentType, ContextType>;
  key?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
}>;

export type LabelErrorCandidateResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["LabelErrorCandidate"] =
    ResolversParentTypes["LabelErrorCandidate"],
> = ResolversObject<{
  annotation?: Resolver<Maybe<ResolversTypes["Annotation"]>, ParentType, ContextType>;
  defectClass?: Resolver<ResolversTypes["DefectClass"], ParentType, ContextType>;
  image?: Resolver<ResolversTypes["Image"], ParentType, ContextType>;
  iou?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  key?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes["LabelErrorKind"], ParentType, ContextType>;
  predictedClass?: Resolver<Maybe<ResolversTypes["DefectClass"]>, ParentType, ContextType>;
  prediction?: Resolver<Maybe<ResolversTypes["Prediction"]>, ParentType, ContextType>;
  score?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
}>;

export type LabelErrorQueueResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["LabelErrorQueue"] =
    ResolversParentTypes["LabelErrorQueue"],
> = ResolversObject<{
  candidates?: Resolver<Array<ResolversTypes["LabelErrorCandidate"]>, ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type LineageResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Lineage"] = ResolversParentTypes["Lineage"],
> = ResolversObject<{
  algorithm?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  blend?: Resolver<Maybe<ResolversTypes["JSON"]>, ParentType, ContextType>;
  classScore?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  coefficients?: Resolver<Array<ResolversTypes["Float"]>, ParentType, ContextType>;
  colourTransfer?: Resolver<Maybe<ResolversTypes["JSON"]>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  executionProvider?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  host?: Resolver<Maybe<ResolversTypes["Image"]>, ParentType, ContextType>;
  hostImageId?: Resolver<Maybe<ResolversTypes["ID"]>, ParentType, ContextType>;
  hostSha256?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  image?: Resolver<ResolversTypes["Image"], ParentType, ContextType>;
  method?: Resolver<ResolversTypes["FillMethod"], ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes["ModelVersion"]>, ParentType, ContextType>;
  modelSha256?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  nearestReferenceDistance?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  output?: Resolver<ResolversTypes["FillOutput"], ParentType, ContextType>;
  placement?: Resolver<Maybe<ResolversTypes["Box"]>, ParentType, ContextType>;
  positions?: Resolver<Array<ResolversTypes["Int"]>, ParentType, ContextType>;
  realism?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  realismProbability?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  references?: Resolver<Array<ResolversTypes["LineageReference"]>, ParentType, ContextType>;
  request?: Resolver<ResolversTypes["FillRequest"], ParentType, ContextType>;
  reviewedAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
  reviewer?: Resolver<Maybe<ResolversTypes["User"]>, ParentType, ContextType>;
  sampleIndex?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  scale?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  seed?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  selection?: Resolver<Maybe<ResolversTypes["JSON"]>, ParentType, ContextType>;
}>;

export type LineageReferenceResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["LineageReference"] =
    ResolversParentTypes["LineageReference"],
> = ResolversObject<{
  box?: Resolver<ResolversTypes["Box"], ParentType, ContextType>;
  coefficient?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  image?: Resolver<Maybe<ResolversTypes["Image"]>, ParentType, ContextType>;
  imageId?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  isBase?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
}>;

export type LoginResultResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["LoginResult"] = ResolversParentTypes["LoginResult"],
> = ResolversObject<{
  expiresAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  sessionToken?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  user?: Resolver<ResolversTypes["User"], ParentType, ContextType>;
}>;

export type MetricResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Metric"] = ResolversParentTypes["Metric"],
> = ResolversObject<{
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  maxValue?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  minValue?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  unit?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type ModelUploadResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ModelUpload"] = ResolversParentTypes["ModelUpload"],
> = ResolversObject<{
  criticKey?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  criticUrl?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  generatorKey?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  generatorUrl?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  headers?: Resolver<ResolversTypes["JSON"], ParentType, ContextType>;
}>;

export type ModelVersionResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ModelVersion"] = ResolversParentTypes["ModelVersion"],
> = ResolversObject<{
  classNames?: Resolver<Array<ResolversTypes["String"]>, ParentType, ContextType>;
  config?: Resolver<Maybe<ResolversTypes["JSON"]>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  criticSha256?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  fusedPositions?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  generatorBytes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  generatorSha256?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  gridSize?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  hasCritic?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  imageSize?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  metrics?: Resolver<Maybe<ResolversTypes["JSON"]>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  requestCount?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  shots?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  status?: Resolver<ResolversTypes["ModelStatus"], ParentType, ContextType>;
  version?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type MutationResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Mutation"] = ResolversParentTypes["Mutation"],
> = ResolversObject<{
  _noop?: Resolver<Maybe<ResolversTypes["Boolean"]>, ParentType, ContextType>;
  acceptPrediction?: Resolver<
    ResolversTypes["Annotation"],
    ParentType,
    ContextType,
    RequireFields<MutationAcceptPredictionArgs, "predictionId" | "runId">
  >;
  acceptPredictionsAbove?: Resolver<
    ResolversTypes["PrelabelResult"],
    ParentType,
    ContextType,
    RequireFields<MutationAcceptPredictionsAboveArgs, "minScore" | "runId">
  >;
  activateModel?: Resolver<
    ResolversTypes["ModelVersion"],
    ParentType,
    ContextType,
    RequireFields<MutationActivateModelArgs, "id">
  >;
  addImageTags?: Resolver<
    ResolversTypes["Int"],
    ParentType,
    ContextType,
    RequireFields<MutationAddImageTagsArgs, "imageIds" | "tags">
  >;
  cancelFill?: Resolver<
    ResolversTypes["FillRequest"],
    ParentType,
    ContextType,
    RequireFields<MutationCancelFillArgs, "id">
  >;
  confirmUpload?: Resolver<
    ResolversTypes["ConfirmUploadResult"],
    ParentType,
    ContextType,
    RequireFields<MutationConfirmUploadArgs, "datasetId" | "uploadId">
  >;
  createAnnotation?: Resolver<
    ResolversTypes["Annotation"],
    ParentType,
    ContextType,
    RequireFields<MutationCreateAnnotationArgs, "imageId" | "input">
  >;
  createApiToken?: Resolver<
    ResolversTypes["CreatedApiToken"],
    ParentType,
    ContextType,
    RequireFields<MutationCreateApiTokenArgs, "name">
  >;
  createClass?: Resolver<
    ResolversTypes["DefectClass"],
    ParentType,
    ContextType,
    RequireFields<MutationCreateClassArgs, "datasetId" | "input">
  >;
  createDataset?: Resolver<
    ResolversTypes["Dataset"],
    ParentType,
    ContextType,
    RequireFields<MutationCreateDatasetArgs, "input">
  >;
  createDevice?: Resolver<
    ResolversTypes["Device"],
    ParentType,
    ContextType,
    RequireFields<MutationCreateDeviceArgs, "input">
  >;
  createLine?: Resolver<
    ResolversTypes["PowerLine"],
    ParentType,
    ContextType,
    RequireFields<MutationCreateLineArgs, "input">
  >;
  createMetric?: Resolver<
    ResolversTypes["Metric"],
    ParentType,
    ContextType,
    RequireFields<MutationCreateMetricArgs, "input">
  >;
  createTower?: Resolver<
    ResolversTypes["Tower"],
    ParentType,
    ContextType,
    RequireFields<MutationCreateTowerArgs, "input">
  >;
  createUser?: Resolver<
    ResolversTypes["User"],
    ParentType,
    ContextType,
    RequireFields<MutationCreateUserArgs, "input">
  >;
  createVersion?: Resolver<
    ResolversTypes["DatasetVersion"],
    ParentType,
    ContextType,
    RequireFields<MutationCreateVersionArgs, "datasetId">
  >;
  decideLabelError?: Resolver<
    ResolversTypes["LabelDecisionResult"],
    ParentType,
    ContextType,
    RequireFields<MutationDecideLabelErrorArgs, "action" | "key" | "runId">
  >;
  deleteAnnotation?: Resolver<
    ResolversTypes["Boolean"],
    ParentType,
    ContextType,
    RequireFields<MutationDeleteAnnotationArgs, "id">
  >;
  deleteClass?: Resolver<
    ResolversTypes["Boolean"],
    ParentType,
    ContextType,
    RequireFields<MutationDeleteClassArgs, "id">
  >;
  deleteDataset?: Resolver<
    ResolversTypes["Boolean"],
    ParentType,
    ContextType,
    RequireFields<MutationDeleteDatasetArgs, "id">
  >;
  deleteDevice?: Resolver<
    ResolversTypes["Boolean"],
    ParentType,
    ContextType,
    RequireFields<MutationDeleteDeviceArgs, "id">
  >;
  deleteImages?: Resolver<
    ResolversTypes["Int"],
    ParentType,
    ContextType,
    RequireFields<MutationDeleteImagesArgs, "imageIds">
  >;
  deleteLine?: Resolver<
    ResolversTypes["Boolean"],
    ParentType,
    ContextType,
    RequireFields<MutationDeleteLineArgs, "id">
  >;
  deleteTower?: Resolver<
    ResolversTypes["Boolean"],
    ParentType,
    ContextType,
    RequireFields<MutationDeleteTowerArgs, "id">
  >;
  exportVersion?: Resolver<
    ResolversTypes["ExportJob"],
    ParentType,
    ContextType,
    RequireFields<MutationExportVersionArgs, "format" | "includeSynthetic" | "versionId">
  >;
  importPredictions?: Resolver<
    ResolversTypes["PredictionRun"],
    ParentType,
    ContextType,
    RequireFields<
      MutationImportPredictionsArgs,
      "datasetId" | "format" | "source" | "split" | "version"
    >
  >;
  ingestReadings?: Resolver<
    ResolversTypes["IngestResult"],
    ParentType,
    ContextType,
    RequireFields<MutationIngestReadingsArgs, "batch">
  >;
  issueDeviceCredential?: Resolver<
    ResolversTypes["Device"],
    ParentType,
    ContextType,
    RequireFields<MutationIssueDeviceCredentialArgs, "id">
  >;
  login?: Resolver<
    ResolversTypes["LoginResult"],
    ParentType,
    ContextType,
    RequireFields<MutationLoginArgs, "email" | "password">
  >;
  logout?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
  previewFill?: Resolver<
    ResolversTypes["FillPreview"],
    ParentType,
    ContextType,
    RequireFields<MutationPreviewFillArgs, "input" | "samples">
  >;
  regenerate?: Resolver<
    ResolversTypes["RegenerateResult"],
    ParentType,
    ContextType,
    RequireFields<MutationRegenerateArgs, "imageId">
  >;
  registerModel?: Resolver<
    ResolversTypes["ModelVersion"],
    ParentType,
    ContextType,
    RequireFields<MutationRegisterModelArgs, "input">
  >;
  removeImageTags?: Resolver<
    ResolversTypes["Int"],
    ParentType,
    ContextType,
    RequireFields<MutationRemoveImageTagsArgs, "imageIds" | "tags">
  >;
  requestDetectorUpload?: Resolver<
    ResolversTypes["DetectorUpload"],
    ParentType,
    ContextType,
    RequireFields<MutationRequestDetectorUploadArgs, "bytes" | "datasetId">
  >;
  requestFill?: Resolver<
    ResolversTypes["FillRequest"],
    ParentType,
    ContextType,
    RequireFields<MutationRequestFillArgs, "input">
  >;
  requestImportUpload?: Resolver<
    ResolversTypes["ImportUpload"],
    ParentType,
    ContextType,
    RequireFields<MutationRequestImportUploadArgs, "bytes" | "datasetId">
  >;
  requestModelUpload?: Resolver<
    ResolversTypes["ModelUpload"],
    ParentType,
    ContextType,
    RequireFields<MutationRequestModelUploadArgs, "generatorBytes">
  >;
  requestPredictionUpload?: Resolver<
    ResolversTypes["PredictionUpload"],
    ParentType,
    ContextType,
    RequireFields<MutationRequestPredictionUploadArgs, "bytes" | "datasetId">
  >;
  requestUpload?: Resolver<
    ResolversTypes["UploadTicket"],
    ParentType,
    ContextType,
    RequireFields<MutationRequestUploadArgs, "datasetId" | "input">
  >;
  reviewImages?: Resolver<
    ResolversTypes["ReviewResult"],
    ParentType,
    ContextType,
    RequireFields<MutationReviewImagesArgs, "decision" | "imageIds">
  >;
  revokeApiToken?: Resolver<
    ResolversTypes["ApiToken"],
    ParentType,
    ContextType,
    RequireFields<MutationRevokeApiTokenArgs, "id">
  >;
  runDetector?: Resolver<
    ResolversTypes["PredictionRun"],
    ParentType,
    ContextType,
    RequireFields<
      MutationRunDetectorArgs,
      "datasetId" | "minScore" | "sha256" | "source" | "split" | "version"
    >
  >;
  setImageCapture?: Resolver<
    ResolversTypes["Image"],
    ParentType,
    ContextType,
    RequireFields<MutationSetImageCaptureArgs, "imageId">
  >;
  setImageSource?: Resolver<
    ResolversTypes["Image"],
    ParentType,
    ContextType,
    RequireFields<MutationSetImageSourceArgs, "imageId">
  >;
  setImageSplit?: Resolver<
    ResolversTypes["Int"],
    ParentType,
    ContextType,
    RequireFields<MutationSetImageSplitArgs, "imageIds" | "split">
  >;
  setUserRole?: Resolver<
    ResolversTypes["User"],
    ParentType,
    ContextType,
    RequireFields<MutationSetUserRoleArgs, "role" | "userId">
  >;
  startImport?: Resolver<
    ResolversTypes["ImportJob"],
    ParentType,
    ContextType,
    RequireFields<MutationStartImportArgs, "datasetId" | "format" | "metadataOnly" | "source">
  >;
  updateAnnotation?: Resolver<
    ResolversTypes["Annotation"],
    ParentType,
    ContextType,
    RequireFields<MutationUpdateAnnotationArgs, "id" | "input">
  >;
  updateClass?: Resolver<
    ResolversTypes["DefectClass"],
    ParentType,
    ContextType,
    RequireFields<MutationUpdateClassArgs, "id" | "input">
  >;
  updateDataset?: Resolver<
    ResolversTypes["Dataset"],
    ParentType,
    ContextType,
    RequireFields<MutationUpdateDatasetArgs, "id" | "input">
  >;
  updateDevice?: Resolver<
    ResolversTypes["Device"],
    ParentType,
    ContextType,
    RequireFields<MutationUpdateDeviceArgs, "id" | "input">
  >;
  updateLine?: Resolver<
    ResolversTypes["PowerLine"],
    ParentType,
    ContextType,
    RequireFields<MutationUpdateLineArgs, "id" | "input">
  >;
  updateTower?: Resolver<
    ResolversTypes["Tower"],
    ParentType,
    ContextType,
    RequireFields<MutationUpdateTowerArgs, "id" | "input">
  >;
}>;

export type PageInfoResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["PageInfo"] = ResolversParentTypes["PageInfo"],
> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
}>;

export type PowerLineResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["PowerLine"] = ResolversParentTypes["PowerLine"],
> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  name?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  towers?: Resolver<Array<ResolversTypes["Tower"]>, ParentType, ContextType>;
  voltageKv?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
}>;

export type PrPointResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["PrPoint"] = ResolversParentTypes["PrPoint"],
> = ResolversObject<{
  precision?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  recall?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  score?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
}>;

export type PredictionResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Prediction"] = ResolversParentTypes["Prediction"],
> = ResolversObject<{
  box?: Resolver<ResolversTypes["Box"], ParentType, ContextType>;
  defectClass?: Resolver<ResolversTypes["DefectClass"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  imageId?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  score?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
}>;

export type PredictionConnectionResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["PredictionConnection"] =
    ResolversParentTypes["PredictionConnection"],
> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes["PredictionEdge"]>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes["PageInfo"], ParentType, ContextType>;
}>;

export type PredictionEdgeResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["PredictionEdge"] =
    ResolversParentTypes["PredictionEdge"],
> = ResolversObject<{
  cursor?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  node?: Resolver<ResolversTypes["Prediction"], ParentType, ContextType>;
}>;

export type PredictionFileErrorResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["PredictionFileError"] =
    ResolversParentTypes["PredictionFileError"],
> = ResolversObject<{
  code?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  file?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  message?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type PredictionRunResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["PredictionRun"] = ResolversParentTypes["PredictionRun"],
> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  dataset?: Resolver<ResolversTypes["Dataset"], ParentType, ContextType>;
  done?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  errors?: Resolver<Array<ResolversTypes["PredictionFileError"]>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
  format?: Resolver<Maybe<ResolversTypes["DatasetFormat"]>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  modelSha256?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  parameters?: Resolver<ResolversTypes["JSON"], ParentType, ContextType>;
  predictionCount?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  predictions?: Resolver<
    ResolversTypes["PredictionConnection"],
    ParentType,
    ContextType,
    RequireFields<PredictionRunPredictionsArgs, "first" | "minScore">
  >;
  source?: Resolver<ResolversTypes["PredictionSource"], ParentType, ContextType>;
  split?: Resolver<ResolversTypes["Split"], ParentType, ContextType>;
  status?: Resolver<ResolversTypes["JobStatus"], ParentType, ContextType>;
  total?: Resolver<Maybe<ResolversTypes["Int"]>, ParentType, ContextType>;
  unknownImages?: Resolver<Array<ResolversTypes["String"]>, ParentType, ContextType>;
  versionNumber?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type PredictionRunConnectionResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["PredictionRunConnection"] =
    ResolversParentTypes["PredictionRunConnection"],
> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes["PredictionRunEdge"]>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes["PageInfo"], ParentType, ContextType>;
}>;

export type PredictionRunEdgeResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["PredictionRunEdge"] =
    ResolversParentTypes["PredictionRunEdge"],
> = ResolversObject<{
  cursor?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  node?: Resolver<ResolversTypes["PredictionRun"], ParentType, ContextType>;
}>;

export type PredictionUploadResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["PredictionUpload"] =
    ResolversParentTypes["PredictionUpload"],
> = ResolversObject<{
  expiresAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  headers?: Resolver<ResolversTypes["JSON"], ParentType, ContextType>;
  key?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  url?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type PrelabelResultResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["PrelabelResult"] =
    ResolversParentTypes["PrelabelResult"],
> = ResolversObject<{
  boxes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  images?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type QueryResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Query"] = ResolversParentTypes["Query"],
> = ResolversObject<{
  _health?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  apiTokens?: Resolver<Array<ResolversTypes["ApiToken"]>, ParentType, ContextType>;
  auditEvents?: Resolver<
    ResolversTypes["AuditEventConnection"],
    ParentType,
    ContextType,
    RequireFields<QueryAuditEventsArgs, "first">
  >;
  balance?: Resolver<
    ResolversTypes["BalanceStatistics"],
    ParentType,
    ContextType,
    RequireFields<QueryBalanceArgs, "datasetId" | "unit">
  >;
  compareRuns?: Resolver<
    ResolversTypes["RunComparison"],
    ParentType,
    ContextType,
    RequireFields<QueryCompareRunsArgs, "baseRunId" | "confidence" | "iou" | "otherRunId">
  >;
  dataset?: Resolver<
    Maybe<ResolversTypes["Dataset"]>,
    ParentType,
    ContextType,
    Partial<QueryDatasetArgs>
  >;
  datasets?: Resolver<
    ResolversTypes["DatasetConnection"],
    ParentType,
    ContextType,
    RequireFields<QueryDatasetsArgs, "first">
  >;
  deadLetters?: Resolver<
    ResolversTypes["DeadLetterConnection"],
    ParentType,
    ContextType,
    RequireFields<QueryDeadLettersArgs, "first">
  >;
  device?: Resolver<
    Maybe<ResolversTypes["Device"]>,
    ParentType,
    ContextType,
    RequireFields<QueryDeviceArgs, "id">
  >;
  devices?: Resolver<
    ResolversTypes["DeviceConnection"],
    ParentType,
    ContextType,
    RequireFields<QueryDevicesArgs, "first">
  >;
  evaluation?: Resolver<
    ResolversTypes["Evaluation"],
    ParentType,
    ContextType,
    RequireFields<QueryEvaluationArgs, "confidence" | "iou" | "runId">
  >;
  exportJob?: Resolver<
    Maybe<ResolversTypes["ExportJob"]>,
    ParentType,
    ContextType,
    RequireFields<QueryExportJobArgs, "id">
  >;
  fillPlan?: Resolver<
    ResolversTypes["FillPlan"],
    ParentType,
    ContextType,
    RequireFields<QueryFillPlanArgs, "datasetId" | "shots" | "strategy">
  >;
  fillRequest?: Resolver<
    Maybe<ResolversTypes["FillRequest"]>,
    ParentType,
    ContextType,
    RequireFields<QueryFillRequestArgs, "id">
  >;
  fillRequests?: Resolver<
    Array<ResolversTypes["FillRequest"]>,
    ParentType,
    ContextType,
    RequireFields<QueryFillRequestsArgs, "datasetId" | "first">
  >;
  image?: Resolver<
    Maybe<ResolversTypes["Image"]>,
    ParentType,
    ContextType,
    RequireFields<QueryImageArgs, "id">
  >;
  imageTags?: Resolver<
    Array<ResolversTypes["String"]>,
    ParentType,
    ContextType,
    RequireFields<QueryImageTagsArgs, "datasetId">
  >;
  images?: Resolver<
    ResolversTypes["ImageConnection"],
    ParentType,
    ContextType,
    RequireFields<QueryImagesArgs, "datasetId" | "first">
  >;
  importJob?: Resolver<
    Maybe<ResolversTypes["ImportJob"]>,
    ParentType,
    ContextType,
    RequireFields<QueryImportJobArgs, "id">
  >;
  importJobs?: Resolver<
    Array<ResolversTypes["ImportJob"]>,
    ParentType,
    ContextType,
    RequireFields<QueryImportJobsArgs, "datasetId" | "first">
  >;
  labelErrorCandidates?: Resolver<
    ResolversTypes["LabelErrorQueue"],
    ParentType,
    ContextType,
    RequireFields<QueryLabelErrorCandidatesArgs, "confidence" | "first" | "iou" | "runId">
  >;
  lineage?: Resolver<
    Maybe<ResolversTypes["Lineage"]>,
    ParentType,
    ContextType,
    RequireFields<QueryLineageArgs, "imageId">
  >;
  lines?: Resolver<Array<ResolversTypes["PowerLine"]>, ParentType, ContextType>;
  me?: Resolver<Maybe<ResolversTypes["User"]>, ParentType, ContextType>;
  metrics?: Resolver<Array<ResolversTypes["Metric"]>, ParentType, ContextType>;
  modelVersion?: Resolver<
    Maybe<ResolversTypes["ModelVersion"]>,
    ParentType,
    ContextType,
    RequireFields<QueryModelVersionArgs, "id">
  >;
  modelVersions?: Resolver<Array<ResolversTypes["ModelVersion"]>, ParentType, ContextType>;
  predictionRun?: Resolver<
    Maybe<ResolversTypes["PredictionRun"]>,
    ParentType,
    ContextType,
    RequireFields<QueryPredictionRunArgs, "id">
  >;
  predictionRuns?: Resolver<
    ResolversTypes["PredictionRunConnection"],
    ParentType,
    ContextType,
    RequireFields<QueryPredictionRunsArgs, "datasetId" | "first">
  >;
  readings?: Resolver<
    ResolversTypes["ReadingSeries"],
    ParentType,
    ContextType,
    RequireFields<QueryReadingsArgs, "deviceId" | "from" | "metric" | "to">
  >;
  sensorBandBalance?: Resolver<
    ResolversTypes["SensorBandBalance"],
    ParentType,
    ContextType,
    RequireFields<QuerySensorBandBalanceArgs, "datasetId" | "metric" | "window">
  >;
  towers?: Resolver<
    Array<ResolversTypes["Tower"]>,
    ParentType,
    ContextType,
    Partial<QueryTowersArgs>
  >;
  users?: Resolver<Array<ResolversTypes["User"]>, ParentType, ContextType>;
  version?: Resolver<
    Maybe<ResolversTypes["DatasetVersion"]>,
    ParentType,
    ContextType,
    RequireFields<QueryVersionArgs, "id">
  >;
  versionDiff?: Resolver<
    ResolversTypes["VersionDiff"],
    ParentType,
    ContextType,
    RequireFields<QueryVersionDiffArgs, "fromId" | "toId">
  >;
  versions?: Resolver<
    Array<ResolversTypes["DatasetVersion"]>,
    ParentType,
    ContextType,
    RequireFields<QueryVersionsArgs, "datasetId">
  >;
}>;

export type ReadingPointResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ReadingPoint"] = ResolversParentTypes["ReadingPoint"],
> = ResolversObject<{
  avg?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  count?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  max?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  min?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  time?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
}>;

export type ReadingRejectionResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ReadingRejection"] =
    ResolversParentTypes["ReadingRejection"],
> = ResolversObject<{
  code?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  index?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  message?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type ReadingSeriesResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ReadingSeries"] = ResolversParentTypes["ReadingSeries"],
> = ResolversObject<{
  bucket?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
  device?: Resolver<ResolversTypes["Device"], ParentType, ContextType>;
  metric?: Resolver<ResolversTypes["Metric"], ParentType, ContextType>;
  points?: Resolver<Array<ResolversTypes["ReadingPoint"]>, ParentType, ContextType>;
}>;

export type RegenerateResultResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["RegenerateResult"] =
    ResolversParentTypes["RegenerateResult"],
> = ResolversObject<{
  executionProvider?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  identical?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
  originalSha256?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  sha256?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  url?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type ReviewResultResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["ReviewResult"] = ResolversParentTypes["ReviewResult"],
> = ResolversObject<{
  changed?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  images?: Resolver<Array<ResolversTypes["Image"]>, ParentType, ContextType>;
}>;

export type RunComparisonResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["RunComparison"] = ResolversParentTypes["RunComparison"],
> = ResolversObject<{
  base?: Resolver<ResolversTypes["Evaluation"], ParentType, ContextType>;
  classes?: Resolver<Array<ResolversTypes["ClassComparison"]>, ParentType, ContextType>;
  mapDelta?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  other?: Resolver<ResolversTypes["Evaluation"], ParentType, ContextType>;
}>;

export type SensorBandResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["SensorBand"] = ResolversParentTypes["SensorBand"],
> = ResolversObject<{
  classes?: Resolver<Array<ResolversTypes["SensorBandClassCount"]>, ParentType, ContextType>;
  images?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  lower?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
  upper?: Resolver<Maybe<ResolversTypes["Float"]>, ParentType, ContextType>;
}>;

export type SensorBandBalanceResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["SensorBandBalance"] =
    ResolversParentTypes["SensorBandBalance"],
> = ResolversObject<{
  bands?: Resolver<Array<ResolversTypes["SensorBand"]>, ParentType, ContextType>;
  edges?: Resolver<Array<ResolversTypes["Float"]>, ParentType, ContextType>;
  matched?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  metric?: Resolver<ResolversTypes["Metric"], ParentType, ContextType>;
  unmatched?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  windowMinutes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type SensorBandClassCountResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["SensorBandClassCount"] =
    ResolversParentTypes["SensorBandClassCount"],
> = ResolversObject<{
  defectClass?: Resolver<ResolversTypes["DefectClass"], ParentType, ContextType>;
  images?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
}>;

export type SplitCountResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["SplitCount"] = ResolversParentTypes["SplitCount"],
> = ResolversObject<{
  boxes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  images?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  split?: Resolver<ResolversTypes["Split"], ParentType, ContextType>;
}>;

export type SubscriptionResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Subscription"] = ResolversParentTypes["Subscription"],
> = ResolversObject<{
  exportJobUpdated?: SubscriptionResolver<
    ResolversTypes["ExportJob"],
    "exportJobUpdated",
    ParentType,
    ContextType,
    RequireFields<SubscriptionExportJobUpdatedArgs, "id">
  >;
  fillRequestUpdated?: SubscriptionResolver<
    ResolversTypes["FillRequest"],
    "fillRequestUpdated",
    ParentType,
    ContextType,
    RequireFields<SubscriptionFillRequestUpdatedArgs, "id">
  >;
  fillRequestsUpdated?: SubscriptionResolver<
    ResolversTypes["FillRequest"],
    "fillRequestsUpdated",
    ParentType,
    ContextType,
    RequireFields<SubscriptionFillRequestsUpdatedArgs, "datasetId">
  >;
  importJobUpdated?: SubscriptionResolver<
    ResolversTypes["ImportJob"],
    "importJobUpdated",
    ParentType,
    ContextType,
    RequireFields<SubscriptionImportJobUpdatedArgs, "id">
  >;
}>;

export type TowerResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["Tower"] = ResolversParentTypes["Tower"],
> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  devices?: Resolver<Array<ResolversTypes["Device"]>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  latitude?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  line?: Resolver<Maybe<ResolversTypes["PowerLine"]>, ParentType, ContextType>;
  longitude?: Resolver<ResolversTypes["Float"], ParentType, ContextType>;
  name?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type UploadTicketResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["UploadTicket"] = ResolversParentTypes["UploadTicket"],
> = ResolversObject<{
  duplicateOf?: Resolver<Maybe<ResolversTypes["Image"]>, ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes["DateTime"]>, ParentType, ContextType>;
  headers?: Resolver<Maybe<ResolversTypes["JSON"]>, ParentType, ContextType>;
  uploadId?: Resolver<Maybe<ResolversTypes["ID"]>, ParentType, ContextType>;
  url?: Resolver<Maybe<ResolversTypes["String"]>, ParentType, ContextType>;
}>;

export type UserResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["User"] = ResolversParentTypes["User"],
> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes["DateTime"], ParentType, ContextType>;
  email?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  id?: Resolver<ResolversTypes["ID"], ParentType, ContextType>;
  name?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  role?: Resolver<ResolversTypes["Role"], ParentType, ContextType>;
}>;

export type VersionClassCountResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["VersionClassCount"] =
    ResolversParentTypes["VersionClassCount"],
> = ResolversObject<{
  boxes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  className?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  images?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  origin?: Resolver<ResolversTypes["Origin"], ParentType, ContextType>;
  reviewState?: Resolver<ResolversTypes["ReviewState"], ParentType, ContextType>;
  split?: Resolver<ResolversTypes["Split"], ParentType, ContextType>;
}>;

export type VersionDiffResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["VersionDiff"] = ResolversParentTypes["VersionDiff"],
> = ResolversObject<{
  added?: Resolver<Array<ResolversTypes["VersionDiffImage"]>, ParentType, ContextType>;
  changed?: Resolver<Array<ResolversTypes["VersionDiffChange"]>, ParentType, ContextType>;
  classDeltas?: Resolver<Array<ResolversTypes["ClassDelta"]>, ParentType, ContextType>;
  from?: Resolver<ResolversTypes["DatasetVersion"], ParentType, ContextType>;
  imagesAdded?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  imagesChanged?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  imagesRemoved?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  removed?: Resolver<Array<ResolversTypes["VersionDiffImage"]>, ParentType, ContextType>;
  to?: Resolver<ResolversTypes["DatasetVersion"], ParentType, ContextType>;
  truncated?: Resolver<ResolversTypes["Boolean"], ParentType, ContextType>;
}>;

export type VersionDiffChangeResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["VersionDiffChange"] =
    ResolversParentTypes["VersionDiffChange"],
> = ResolversObject<{
  boxesAdded?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  boxesAfter?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  boxesBefore?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  boxesRemoved?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  filename?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  sha256?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
}>;

export type VersionDiffImageResolvers<
  ContextType = ApiContext,
  ParentType extends ResolversParentTypes["VersionDiffImage"] =
    ResolversParentTypes["VersionDiffImage"],
> = ResolversObject<{
  boxes?: Resolver<ResolversTypes["Int"], ParentType, ContextType>;
  filename?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  sha256?: Resolver<ResolversTypes["String"], ParentType, ContextType>;
  split?: Resolver<ResolversTypes["Split"], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = ApiContext> = ResolversObject<{
  Annotation?: AnnotationResolvers<ContextType>;
  ApiToken?: ApiTokenResolvers<ContextType>;
  AuditEvent?: AuditEventResolvers<ContextType>;
  AuditEventConnection?: AuditEventConnectionResolvers<ContextType>;
  AuditEventEdge?: AuditEventEdgeResolvers<ContextType>;
  BalanceStatistics?: BalanceStatisticsResolvers<ContextType>;
  Box?: BoxResolvers<ContextType>;
  ClassBalance?: ClassBalanceResolvers<ContextType>;
  ClassBoxCount?: ClassBoxCountResolvers<ContextType>;
  ClassComparison?: ClassComparisonResolvers<ContextType>;
  ClassDelta?: ClassDeltaResolvers<ContextType>;
  ClassEvaluation?: ClassEvaluationResolvers<ContextType>;
  ClassFill?: ClassFillResolvers<ContextType>;
  ClassRunScores?: ClassRunScoresResolvers<ContextType>;
  ConfirmUploadResult?: ConfirmUploadResultResolvers<ContextType>;
  ContextSeries?: ContextSeriesResolvers<ContextType>;
  CreatedApiToken?: CreatedApiTokenResolvers<ContextType>;
  Dataset?: DatasetResolvers<ContextType>;
  DatasetConnection?: DatasetConnectionResolvers<ContextType>;
  DatasetEdge?: DatasetEdgeResolvers<ContextType>;
  DatasetVersion?: DatasetVersionResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeadLetter?: DeadLetterResolvers<ContextType>;
  DeadLetterConnection?: DeadLetterConnectionResolvers<ContextType>;
  DeadLetterEdge?: DeadLetterEdgeResolvers<ContextType>;
  DefectClass?: DefectClassResolvers<ContextType>;
  DetectorUpload?: DetectorUploadResolvers<ContextType>;
  Device?: DeviceResolvers<ContextType>;
  DeviceConnection?: DeviceConnectionResolvers<ContextType>;
  DeviceEdge?: DeviceEdgeResolvers<ContextType>;
  Evaluation?: EvaluationResolvers<ContextType>;
  ExportJob?: ExportJobResolvers<ContextType>;
  FillPlan?: FillPlanResolvers<ContextType>;
  FillPreview?: FillPreviewResolvers<ContextType>;
  FillPreviewSample?: FillPreviewSampleResolvers<ContextType>;
  FillRequest?: FillRequestResolvers<ContextType>;
  Image?: ImageResolvers<ContextType>;
  ImageConnection?: ImageConnectionResolvers<ContextType>;
  ImageContext?: ImageContextResolvers<ContextType>;
  ImageEdge?: ImageEdgeResolvers<ContextType>;
  ImportFileError?: ImportFileErrorResolvers<ContextType>;
  ImportJob?: ImportJobResolvers<ContextType>;
  ImportUpload?: ImportUploadResolvers<ContextType>;
  IngestResult?: IngestResultResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  LabelDecisionResult?: LabelDecisionResultResolvers<ContextType>;
  LabelErrorCandidate?: LabelErrorCandidateResolvers<ContextType>;
  LabelErrorQueue?: LabelErrorQueueResolvers<ContextType>;
  Lineage?: LineageResolvers<ContextType>;
  LineageReference?: LineageReferenceResolvers<ContextType>;
  LoginResult?: LoginResultResolvers<ContextType>;
  Metric?: MetricResolvers<ContextType>;
  ModelUpload?: ModelUploadResolvers<ContextType>;
  ModelVersion?: ModelVersionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PowerLine?: PowerLineResolvers<ContextType>;
  PrPoint?: PrPointResolvers<ContextType>;
  Prediction?: PredictionResolvers<ContextType>;
  PredictionConnection?: PredictionConnectionResolvers<ContextType>;
  PredictionEdge?: PredictionEdgeResolvers<ContextType>;
  PredictionFileError?: PredictionFileErrorResolvers<ContextType>;
  PredictionRun?: PredictionRunResolvers<ContextType>;
  PredictionRunConnection?: PredictionRunConnectionResolvers<ContextType>;
  PredictionRunEdge?: PredictionRunEdgeResolvers<ContextType>;
  PredictionUpload?: PredictionUploadResolvers<ContextType>;
  PrelabelResult?: PrelabelResultResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReadingPoint?: ReadingPointResolvers<ContextType>;
  ReadingRejection?: ReadingRejectionResolvers<ContextType>;
  ReadingSeries?: ReadingSeriesResolvers<ContextType>;
  RegenerateResult?: RegenerateResultResolvers<ContextType>;
  ReviewResult?: ReviewResultResolvers<ContextType>;
  RunComparison?: RunComparisonResolvers<ContextType>;
  SensorBand?: SensorBandResolvers<ContextType>;
  SensorBandBalance?: SensorBandBalanceResolvers<ContextType>;
  SensorBandClassCount?: SensorBandClassCountResolvers<ContextType>;
  SplitCount?: SplitCountResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Tower?: TowerResolvers<ContextType>;
  UploadTicket?: UploadTicketResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  VersionClassCount?: VersionClassCountResolvers<ContextType>;
  VersionDiff?: VersionDiffResolvers<ContextType>;
  VersionDiffChange?: VersionDiffChangeResolvers<ContextType>;
  VersionDiffImage?: VersionDiffImageResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = ApiContext> = ResolversObject<{
  auth?: AuthDirectiveResolver<any, any, ContextType>;
  cost?: CostDirectiveResolver<any, any, ContextType>;
  public?: PublicDirectiveResolver<any, any, ContextType>;
}>;

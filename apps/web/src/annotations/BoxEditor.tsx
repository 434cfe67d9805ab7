"use client";

import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type PointerEvent as ReactPointerEvent,
  type ReactNode,
} from "react";
import type { Box } from "./annotations.graphql";
import type { EditorBox } from "./useAnnotationEditor";
import {
  HANDLES,
  boxFromCorners,
  handleCursor,
  handlePoint,
  isUsable,
  moveBox,
  resizeBox,
  sameBox,
  type Handle,
  type Point,
  type Size,
} from "./boxGeometry";

export interface ClassStyle {
  id: string;
  name: string;
  title: string;
  color: string;
}

export type EditorMode = "select" | "draw";

interface BoxEditorProps {
  imageUrl: string;
  imageSize: Size;
  boxes: EditorBox[];
  classes: ReadonlyMap<string, ClassStyle>;
  selectedKey: string | null;
  mode: EditorMode;
  readOnly: boolean;
  onSelect: (key: string | null) => void;
  onCreate: (box: Box) => void;
  onChange: (key: string, box: Box) => void;
  /** Read-only shapes drawn over the image in its pixels (a prediction run's boxes). */
  overlay?: ReactNode;
}

/** The gesture in progress; `box` is what it would commit now (kept here, not only in state). */
type Drag = { start: Point; moved: boolean; box: Box | null } & (
  | { kind: "draw" }
  | { kind: "move"; key: string; origin: Box }
  | { kind: "resize"; key: string; handle: Handle; origin: Box }
);

/** Screen pixels a pointer must travel before a press becomes a drag (so clicks stay clicks). */
const DRAG_THRESHOLD_PX = 3;

/**
 * The image with its boxes drawn over it. The SVG's viewBox is the image's own pixel grid, so
 * boxes are stored and drawn in image pixels whatever size the image is shown at.
 */
export function BoxEditor(props: BoxEditorProps) {
  const {
    imageUrl,
    imageSize,
    boxes,
    classes,
    selectedKey,
    mode,
    readOnly,
    onSelect,
    onCreate,
    onChange,
  } = props;
  const stageRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const dragRef = useRef<Drag | null>(null);
  const [draft, setDraft] = useState<{ key: string | null; box: Box } | null>(null);
  const [scale, setScale] = useState(0);
  const [loadFailed, setLoadFailed] = useState(false);

  // Fit the image into the stage (upscaling small images, which are common in tests and crops).
  useLayoutEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    const fit = () => {
      const width = stage.clientWidth;
      const height = stage.clientHeight;
      if (width > 0 && height > 0)
        setScale(Math.min(width / imageSize.width, height / imageSize.height, 8));
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(stage);
    return () => observer.disconnect();
  }, [imageSize.width, imageSize.height]);

  // Escape while dragging cancels the drag only (captured before the page's own shortcuts).
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === "Escape" && dragRef.current) {
        dragRef.current = null;
        setDraft(null);
        event.stopPropagation();
        event.preventDefault();
      }
    }
    window.addEventListener("keydown", onKeyDown, true);
    return () => window.removeEventListener("keydown", onKeyDown, true);
  }, []);

  function toImagePoint(event: { clientX: number; clientY: number }): Point {
    const rect = svgRef.current!.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / rect.width) * imageSize.width,
      y: ((event.clientY - rect.top) / rect.height) * imageSize.height,
    };
  }

  function startDrag(event: ReactPointerEvent, drag: Drag) {
    dragRef.current = drag;
    svgRef.current?.setPointerCapture(event.pointerId);
  }

  function onBackgroundDown(event: ReactPointerEvent<SVGSVGElement>) {
    if (event.button !== 0) return;
    event.preventDefault();
    if (readOnly) {
      onSelect(null);
      return;
    }
    startDrag(event, { kind: "draw", start: toImagePoint(event), moved: false, box: null });
  }

  function onBoxDown(event: ReactPointerEvent, entry: EditorBox) {
    if (event.button !== 0 || mode === "draw") return; // in draw mode a press over a box still draws
    event.stopPropagation();
    event.preventDefault();
    onSelect(entry.key);
    if (!readOnly)
      startDrag(event, {
        kind: "move",
        key: entry.key,
        origin: entry.box,
        start: toImagePoint(event),
        moved: false,
        box: null,
      });
  }

  function onHandleDown(event: ReactPointerEvent, entry: EditorBox, handle: Handle) {
    if (event.button !== 0) return;
    event.stopPropagation();
    event.preventDefault();
    startDrag(event, {
      kind: "resize",
      key: entry.key,
      handle,
      origin: entry.box,
      start: toImagePoint(event),
      moved: false,
      box: null,
    });
  }

  function onPointerMove(event: ReactPointerEvent<SVGSVGElement>) {
    const drag = dragRef.current;
    if (!drag) return;
    const point = toImagePoint(event);
    const dx = point.x - drag.start.x;
    const dy = point.y - drag.start.y;
    if (!drag.moved) {
      if (Math.hypot(dx * scale, dy * scale) < DRAG_THRESHOLD_PX) return;
      drag.moved = true;
    }
    if (drag.kind === "draw") drag.box = boxFromCorners(drag.start, point, imageSize);
    else if (drag.kind === "move") drag.box = moveBox(drag.origin, dx, dy, imageSize);
    else drag.box = resizeBox(drag.origin, drag.handle, dx, dy, imageSize);
    setDraft({ key: drag.kind === "draw" ? null : drag.key, box: drag.box });
  }

  function onPointerUp(event: ReactPointerEvent<SVGSVGElement>) {
    const drag = dragRef.current;
    dragRef.current = null;
    if (svgRef.current?.hasPointerCapture(event.pointerId))
      svgRef.current.releasePointerCapture(event.pointerId);
    setDraft(null);
    if (!drag) return;
    const box = drag.box;
    if (!drag.moved) {
      if (drag.kind === "draw") onSelect(null); // a click on the background deselects
      return;
    }
    if (!box) return;
    if (drag.kind === "draw") {
      if (isUsable(box)) onCreate(box);
    } else if (!sameBox(box, drag.origin) && isUsable(box)) {
      onChange(drag.key, box);
    }
  }

  function onPointerCancel() {
    dragRef.current = null;
    setDraft(null);
  }

  const unit = scale > 0 ? 1 / scale : 1; // one screen pixel, in image pixels
  const handleSize = 9 * unit;
  const fontSize = 12 * unit;
  const displayed = { width: imageSize.width * scale, height: imageSize.height * scale };
  const shown = boxes.map((entry) =>
    draft && draft.key === entry.key ? { ...entry, box: draft.box } : entry,
  );
  const selected = shown.find((entry) => entry.key === selectedKey) ?? null;

  return (
    <div className="stage" ref={stageRef}>
      {scale > 0 && (
        <div
          className="stage__frame"
          style={{ width: displayed.width, height: displayed.height }}
          data-testid="image-stage"
        >
          {loadFailed ? (
            <div className="stage__broken" role="img" aria-label="Image could not be loaded">
              The image could not be loaded (its link may have expired). Reload the page.
            </div>
          ) : (
            <img
              src={imageUrl}
              alt=""
              className="stage__image"
              draggable={false}
              onError={() => setLoadFailed(true)}
              data-testid="detail-image"
            />
          )}
          <svg
            ref={svgRef}
            className={mode === "draw" ? "stage__overlay stage__overlay--draw" : "stage__overlay"}
            viewBox={`0 0 ${imageSize.width} ${imageSize.height}`}
            preserveAspectRatio="none"
            onPointerDown={onBackgroundDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerCancel}
            role="group"
            aria-label={`Image with ${boxes.length} boxes. Drag to draw a box.`}
            data-testid="box-canvas"
          >
            {shown.map((entry) => {
              const style = classes.get(entry.classId);
              const color = style?.color ?? "#94a3b8";
              const isSelected = entry.key === selectedKey;
              const label = style ? style.title || style.name : "unknown class";
              const labelWidth = (label.length * 6.6 + 10) * unit;
              const labelHeight = 16 * unit;
              const labelAbove = entry.box.y >= labelHeight;
              return (
                <g key={entry.key} className={isSelected ? "box box--selected" : "box"}>
                  <rect
                    x={entry.box.x}
                    y={entry.box.y}
                    width={entry.box.width}
                    height={entry.box.height}
                    fill={color}
                    fillOpacity={isSelected ? 0.22 : 0.08}
                    stroke={color}
                    strokeWidth={isSelected ? 3 : 2}
                    vectorEffect="non-scaling-stroke"
                    style={{
                      cursor: readOnly ? "pointer" : mode === "draw" ? "crosshair" : "move",
                    }}
                    onPointerDown={(event) => onBoxDown(event, entry)}
                    data-testid="box-rect"
                    data-box-key={entry.key}
                    data-class-id={entry.classId}
                    data-class={style?.name}
                    data-selected={isSelected ? "true" : "false"}
                    data-saved={entry.serverId ? "true" : "false"}
                    aria-label={`${label} box`}
                  />
                  <g pointerEvents="none">
                    <rect
                      x={entry.box.x}
                      y={labelAbove ? entry.box.y - labelHeight : entry.box.y}
                      width={labelWidth}
                      height={labelHeight}
                      fill={color}
                    />
                    <text
                      x={entry.box.x + 5 * unit}
                      y={(labelAbove ? entry.box.y - labelHeight : entry.box.y) + 12 * unit}
                      fontSize={fontSize}
                      className="box__label"
                    >
                      {label}
                    </text>
                  </g>
                </g>
              );
            })}

            {selected && !readOnly && mode === "select" && (
              <g className="handles">
                {HANDLES.map((handle) => {
                  const point = handlePoint(selected.box, handle);
                  return (
                    <rect
                      key={handle}
                      x={point.x - handleSize / 2}
                      y={point.y - handleSize / 2}
                      width={handleSize}
                      height={handleSize}
                      className="handle"
                      stroke={classes.get(selected.classId)?.color ?? "#0f172a"}
                      vectorEffect="non-scaling-stroke"
                      style={{ cursor: handleCursor(handle) }}
                      onPointerDown={(event) => onHandleDown(event, selected, handle)}
                      data-testid={`box-handle-${handle}`}
                    />
                  );
                })}
              </g>
            )}

            {props.overlay}

            {draft && draft.key === null && (
              <rect
                x={draft.box.x}
                y={draft.box.y}
                width={draft.box.width}
                height={draft.box.height}
                className="draft-box"
                vectorEffect="non-scaling-stroke"
                data-testid="draft-box"
              />
            )}
          </svg>
        </div>
      )}
    </div>
  );
}

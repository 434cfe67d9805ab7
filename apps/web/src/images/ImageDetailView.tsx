"use client";

import {
  useCallback,
  useEffect,
  useMemo,
  useState,
  type CSSProperties,
  type ReactNode,
} from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useQuery } from "../graphql/useQuery";
import { IMAGE, type ImageDetail } from "./images.graphql";
import { useImageNeighbours } from "./useImageNeighbours";
import { parseBrowseQuery } from "./browseQuery";
import { ImageMetadataPanel } from "./ImageMetadataPanel";
import { ImageTelemetryPanel } from "../iot/ImageTelemetryPanel";
import { LineagePanel } from "../fills/LineagePanel";
import { ImagePredictionsPanel } from "../predictions/ImagePredictionsPanel";
import { BoxEditor, type ClassStyle, type EditorMode } from "../annotations/BoxEditor";
import { useAnnotationEditor } from "../annotations/useAnnotationEditor";
import { moveBox } from "../annotations/boxGeometry";
import { SHORTCUTS } from "../annotations/shortcuts";
import { Dialog, ErrorBanner } from "../ui/Dialog";
import { EmptyState, LoadError, Spinner } from "../ui/states";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";
import type { DefectClass } from "../classes/classes.graphql";

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

export function ImageDetailView({ id }: { id: string }) {
  const { data, error, loading, refetch, setData } = useQuery(IMAGE, { id });
  const image = data?.image;

  const patchImage = useCallback(
    (patch: Partial<ImageDetail>) =>
      setData((previous) =>
        previous?.image ? { image: { ...previous.image, ...patch } } : previous,
      ),
    [setData],
  );

  if (error && !data) {
    return (
      <main className="page">
        <LoadError error={error} onRetry={() => void refetch()} />
      </main>
    );
  }
  if (loading && !data) return <Spinner label="Loading image…" />;
  if (!image) {
    return (
      <main className="page">
        <EmptyState title="Image not found">
          <p>It may have been deleted.</p>
          <Link className="button" href="/datasets">
            Back to datasets
          </Link>
        </EmptyState>
      </main>
    );
  }
  // A fresh workspace per image: the editor's optimistic state belongs to one image.
  return <AnnotationWorkspace key={image.id} image={image} onImageChanged={patchImage} />;
}

function AnnotationWorkspace({
  image,
  onImageChanged,
}: {
  image: ImageDetail;
  onImageChanged: (patch: Partial<ImageDetail>) => void;
}) {
  const user = useSessionUser();
  const readOnly = !hasRole(user, "CURATOR");
  const router = useRouter();
  const searchParams = useSearchParams();
  const from = searchParams.get("from") ?? "";
  const browsed = useMemo(() => parseBrowseQuery(new URLSearchParams(from)), [from]);
  const classes: DefectClass[] = image.dataset.classes;
  const classStyles = useMemo(
    () => new Map<string, ClassStyle>(classes.map((defectClass) => [defectClass.id, defectClass])),
    [classes],
  );
  const editor = useAnnotationEditor(image.id, image.annotations);
  const neighbours = useImageNeighbours(image.dataset.id, image.id);
  const [activeClassId, setActiveClassId] = useState<string | null>(classes[0]?.id ?? null);
  const [mode, setMode] = useState<EditorMode>("select");
  const [helpOpen, setHelpOpen] = useState(false);
  const [predictionOverlay, setPredictionOverlay] = useState<ReactNode>(null);

  const browseHref = `/datasets/${image.dataset.id}/images${from ? `?${from}` : ""}`;
  const imageHref = (target: string) =>
    `/images/${target}${from ? `?from=${encodeURIComponent(from)}` : ""}`;
  const selected = editor.boxes.find((entry) => entry.key === editor.selectedKey) ?? null;

  // The picker follows the selected box, so the number keys and the highlight agree.
  const selectedClassId = selected?.classId;
  useEffect(() => {
    if (selectedClassId) setActiveClassId(selectedClassId);
  }, [selectedClassId]);

  const pickClass = useCallback(
    (classId: string) => {
      setActiveClassId(classId);
      if (selected && selected.classId !== classId && !readOnly)
        editor.update(selected.key, { classId });
    },
    [editor, readOnly, selected],
  );

  const createBox = useCallback(
    (box: { x: number; y: number; width: number; height: number }) => {
      if (!activeClassId) return;
      editor.create(activeClassId, box);
      setMode("select");
    },
    [activeClassId, editor],
  );

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
      if (document.querySelector("dialog[open]") && event.key !== "?") return;
      const key = event.key;

      if (key === "?") {
        event.preventDefault();
        setHelpOpen((open) => !open);
        return;
      }
      if (key === "[" && neighbours.previousId) {
        router.push(imageHref(neighbours.previousId));
        return;
      }
      if (key === "]" && neighbours.nextId) {
        router.push(imageHref(neighbours.nextId));
        return;
      }
      if (key === "Escape") {
        if (mode === "draw") setMode("select");
        else editor.select(null);
        return;
      }
      if (key === "Tab") {
        if (editor.boxes.length === 0) return;
        event.preventDefault();
        const index = editor.boxes.findIndex((entry) => entry.key === editor.selectedKey);
        const step = event.shiftKey ? -1 : 1;
        const next =
          index === -1
            ? step === 1
              ? 0
              : editor.boxes.length - 1
            : (index + step + editor.boxes.length) % editor.boxes.length;
        editor.select(editor.boxes[next]!.key);
        return;
      }
      if (/^[1-9]$/.test(key)) {
        const defectClass = classes[Number(key) - 1];
        if (defectClass) pickClass(defectClass.id);
        return;
      }
      if (readOnly) return;
      if (key === "n" || key === "N") {
        setMode((current) => (current === "draw" ? "select" : "draw"));
        return;
      }
      if (!selected) return;
      if (key === "Delete" || key === "Backspace") {
        event.preventDefault();
        editor.remove(selected.key);
        return;
      }
      const step = event.shiftKey ? 10 : 1;
      const delta: Record<string, [number, number]> = {
        ArrowLeft: [-step, 0],
        ArrowRight: [step, 0],
        ArrowUp: [0, -step],
        ArrowDown: [0, step],
      };
      const move = delta[key];
      if (move) {
        event.preventDefault();
        editor.nudge(selected.key, moveBox(selected.box, move[0], move[1], image));
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  });

  const activeClass = activeClassId ? classStyles.get(activeClassId) : undefined;

  return (
    <main className="workspace" data-testid="image-detail">
      <div className="workspace__toolbar">
        <Link href={browseHref} className="button button--ghost-dark">
          ← {image.dataset.name}
        </Link>
        <div className="workspace__nav" aria-label="Image navigation">
          <button
            type="button"
            className="button button--small"
            disabled={!neighbours.previousId}
            onClick={() => neighbours.previousId && router.push(imageHref(neighbours.previousId))}
            title="Previous image ([)"
            data-testid="previous-image"
          >
            ‹ Prev
          </button>
          <span className="muted workspace__position">
            {neighbours.position
              ? `#${neighbours.position}${neighbours.filtered ? " (filtered)" : ""}`
              : ""}
          </span>
          <button
            type="button"
            className="button button--small"
            disabled={!neighbours.nextId}
            onClick={() => neighbours.nextId && router.push(imageHref(neighbours.nextId))}
            title="Next image (])"
            data-testid="next-image"
          >
            Next ›
          </button>
        </div>
        <h1 className="workspace__title ellipsis" title={image.filename}>
          {image.filename}
        </h1>
        <span className="workspace__status" aria-live="polite" data-testid="save-status">
          {readOnly ? "Read only" : editor.saving ? "Saving…" : "All changes saved"}
        </span>
        <button
          type="button"
          className="button button--small"
          onClick={() => setHelpOpen(true)}
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
        >
          ?
        </button>
      </div>

      {!readOnly && (
        <div className="workspace__tools">
          <div className="segmented" role="radiogroup" aria-label="Tool">
            <button
              type="button"
              role="radio"
              aria-checked={mode === "select"}
              className={
                mode === "select"
                  ? "segmented__option segmented__option--active"
                  : "segmented__option"
              }
              onClick={() => setMode("select")}
            >
              Select
            </button>
            <button
              type="button"
              role="radio"
              aria-checked={mode === "draw"}
              className={
                mode === "draw"
                  ? "segmented__option segmented__option--active"
                  : "segmented__option"
              }
              onClick={() => setMode("draw")}
              data-testid="new-box-mode"
            >
              New box (N)
            </button>
          </div>
          <ClassPicker classes={classes} activeClassId={activeClassId} onPick={pickClass} />
        </div>
      )}

      {editor.error && (
        // Floats over the stage so the image does not jump when a save fails.
        <div className="workspace__alert">
          <ErrorBanner message={editor.error} onDismiss={editor.clearError} />
        </div>
      )}
      {classes.length === 0 && !readOnly && (
        <p className="hint hint--warn">
          This dataset has no defect classes yet.{" "}
          <Link href={`/datasets/${image.dataset.id}`}>Add classes</Link> before drawing boxes.
        </p>
      )}

      <div className="workspace__body">
        <BoxEditor
          imageUrl={image.url}
          imageSize={{ width: image.width, height: image.height }}
          boxes={editor.boxes}
          classes={classStyles}
          selectedKey={editor.selectedKey}
          mode={mode}
          readOnly={readOnly || !activeClassId}
          onSelect={editor.select}
          onCreate={createBox}
          onChange={(key, box) => editor.update(key, { box })}
          overlay={predictionOverlay}
        />
        <aside className="side-panel" aria-label="Image details">
          <section className="panel-section" aria-labelledby="boxes-heading">
            <h2 id="boxes-heading">
              Boxes <span className="muted">({editor.boxes.length})</span>
            </h2>
            {editor.boxes.length === 0 ? (
              <p className="muted">
                {readOnly
                  ? "No boxes."
                  : `No boxes yet. Drag on the image to draw one${activeClass ? ` as “${activeClass.title || activeClass.name}”` : ""}.`}
              </p>
            ) : (
              <ul className="box-list" data-testid="box-list">
                {editor.boxes.map((entry) => {
                  const style = classStyles.get(entry.classId);
                  const isSelected = entry.key === editor.selectedKey;
                  return (
                    <li
                      key={entry.key}
                      className={
                        isSelected ? "box-list__item box-list__item--selected" : "box-list__item"
                      }
                    >
                      <button
                        type="button"
                        className="box-list__select"
                        onClick={() => editor.select(isSelected ? null : entry.key)}
                        aria-pressed={isSelected}
                      >
                        <span
                          className="swatch"
                          style={{ background: style?.color ?? "#94a3b8" }}
                          aria-hidden="true"
                        />
                        <span className="ellipsis">
                          {style ? style.title || style.name : "unknown class"}
                        </span>
                        <span className="muted box-list__geometry">
                          {Math.round(entry.box.width)}×{Math.round(entry.box.height)} @{" "}
                          {Math.round(entry.box.x)},{Math.round(entry.box.y)}
                        </span>
                        {entry.source !== "HUMAN" && (
                          <span className="origin-badge">{entry.source.toLowerCase()}</span>
                        )}
                      </button>
                      {isSelected && !readOnly && (
                        <div className="box-list__actions">
                          <select
                            value={entry.classId}
                            onChange={(event) =>
                              editor.update(entry.key, { classId: event.target.value })
                            }
                            aria-label="Class of the selected box"
                            data-testid="selected-box-class"
                          >
                            {classes.map((defectClass) => (
                              <option key={defectClass.id} value={defectClass.id}>
                                {defectClass.title || defectClass.name}
                              </option>
                            ))}
                          </select>
                          <button
                            type="button"
                            className="button button--small button--danger-ghost"
                            onClick={() => editor.remove(entry.key)}
                          >
                            Delete
                          </button>
                        </div>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
          <ImageMetadataPanel image={image} readOnly={readOnly} onChanged={onImageChanged} />
          <ImagePredictionsPanel
            datasetId={image.dataset.id}
            imageId={image.id}
            onOverlay={setPredictionOverlay}
            initialRunId={browsed.runId}
            initialMinScore={browsed.confidence}
          />
          <LineagePanel imageId={image.id} synthetic={image.origin === "SYNTHETIC"} />
          <ImageTelemetryPanel
            key={image.capturedAt ?? "none"}
            imageId={image.id}
            capturedAt={image.capturedAt}
          />
        </aside>
      </div>

      <Dialog
        open={helpOpen}
        title="Keyboard shortcuts"
        onClose={() => setHelpOpen(false)}
        testId="shortcut-help"
      >
        <table className="table shortcuts">
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.keys}>
                <th scope="row">
                  {shortcut.mouse ? (
                    <span className="muted">{shortcut.keys}</span>
                  ) : (
                    <kbd>{shortcut.keys}</kbd>
                  )}
                </th>
                <td>{shortcut.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Dialog>
    </main>
  );
}

function ClassPicker({
  classes,
  activeClassId,
  onPick,
}: {
  classes: DefectClass[];
  activeClassId: string | null;
  onPick: (id: string) => void;
}) {
  return (
    <div
      className="class-picker"
      role="radiogroup"
      aria-label="Class for new boxes"
      data-testid="class-picker"
    >
      {classes.map((defectClass, index) => {
        const active = defectClass.id === activeClassId;
        return (
          <button
            key={defectClass.id}
            type="button"
            role="radio"
            aria-checked={active}
            className={
              active ? "class-picker__option class-picker__option--active" : "class-picker__option"
            }
            style={{ "--class-color": defectClass.color } as CSSProperties}
            onClick={() => onPick(defectClass.id)}
            data-testid="class-picker-option"
            data-class={defectClass.name}
          >
            {index < 9 && <kbd>{index + 1}</kbd>}
            <span className="swatch" style={{ background: defectClass.color }} aria-hidden="true" />
            {defectClass.title || defectClass.name}
          </button>
        );
      })}
    </div>
  );
}

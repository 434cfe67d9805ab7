"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage, gql } from "../graphql/client";
import {
  CREATE_ANNOTATION,
  DELETE_ANNOTATION,
  UPDATE_ANNOTATION,
  type Annotation,
  type AnnotationSource,
  type Box,
} from "./annotations.graphql";

/** A box as the editor holds it: `key` is stable from the moment it is drawn, before the API names it. */
export interface EditorBox {
  key: string;
  serverId: string | null;
  classId: string;
  box: Box;
  source: AnnotationSource;
}

interface Saved {
  classId: string;
  box: Box;
}

/** How long arrow-key nudges settle before they are saved, so a held key sends one update. */
const NUDGE_SETTLE_MS = 400;

let draftSequence = 0;

/**
 * The boxes of one image with optimistic edits: every change shows at once, is saved in order per
 * box, and is rolled back to the last saved state when the API refuses it (with its message shown).
 */
export function useAnnotationEditor(imageId: string, initial: Annotation[]) {
  const [boxes, setBoxes] = useState<EditorBox[]>(() =>
    initial.map((annotation) => ({
      key: annotation.id,
      serverId: annotation.id,
      classId: annotation.defectClass.id,
      box: annotation.box,
      source: annotation.source,
    })),
  );
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [inFlight, setInFlight] = useState(0);

  const boxesRef = useRef(boxes);
  boxesRef.current = boxes;
  const saved = useRef(
    new Map<string, Saved>(
      initial.map((annotation) => [
        annotation.id,
        { classId: annotation.defectClass.id, box: annotation.box },
      ]),
    ),
  );
  const serverIds = useRef(
    new Map<string, string>(initial.map((annotation) => [annotation.id, annotation.id])),
  );
  const queues = useRef(new Map<string, Promise<void>>());
  const versions = useRef(new Map<string, number>());
  const nudgeTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  /** Runs API calls for one box strictly in order, so a late answer never overwrites a newer edit. */
  const enqueue = useCallback((key: string, task: () => Promise<void>) => {
    setInFlight((count) => count + 1);
    const previous = queues.current.get(key) ?? Promise.resolve();
    const next = previous.then(task).finally(() => setInFlight((count) => count - 1));
    queues.current.set(key, next);
  }, []);

  const bump = (key: string) => {
    const version = (versions.current.get(key) ?? 0) + 1;
    versions.current.set(key, version);
    return version;
  };

  const patchLocal = useCallback((key: string, patch: Partial<EditorBox>) => {
    setBoxes((current) =>
      current.map((entry) => (entry.key === key ? { ...entry, ...patch } : entry)),
    );
  }, []);

  const create = useCallback(
    (classId: string, box: Box) => {
      const key = `draft-${++draftSequence}`;
      setBoxes((current) => [...current, { key, serverId: null, classId, box, source: "HUMAN" }]);
      setSelectedKey(key);
      setError(null);
      enqueue(key, async () => {
        try {
          const { createAnnotation } = await gql(CREATE_ANNOTATION, {
            imageId,
            input: { classId, box },
          });
          serverIds.current.set(key, createAnnotation.id);
          saved.current.set(key, {
            classId: createAnnotation.defectClass.id,
            box: createAnnotation.box,
          });
          patchLocal(key, { serverId: createAnnotation.id });
        } catch (caught) {
          setBoxes((current) => current.filter((entry) => entry.key !== key));
          setSelectedKey((current) => (current === key ? null : current));
          setError(`Box not saved: ${errorMessage(caught)}`);
        }
      });
      return key;
    },
    [enqueue, imageId, patchLocal],
  );

  /** Saves what the editor shows for a box; on refusal, puts back the last saved state. */
  const persist = useCallback(
    (key: string, input: { classId?: string; box?: Box }) => {
      const version = versions.current.get(key) ?? 0;
      enqueue(key, async () => {
        const id = serverIds.current.get(key);
        if (!id) return; // its creation failed; the box is already gone
        try {
          const { updateAnnotation } = await gql(UPDATE_ANNOTATION, { id, input });
          const confirmed = { classId: updateAnnotation.defectClass.id, box: updateAnnotation.box };
          saved.current.set(key, confirmed);
          // Show the API's normalised box unless the user has changed it again meanwhile.
          if (versions.current.get(key) === version) patchLocal(key, confirmed);
        } catch (caught) {
          setError(`Change not saved: ${errorMessage(caught)}`);
          const last = saved.current.get(key);
          if (last && versions.current.get(key) === version) patchLocal(key, last);
        }
      });
    },
    [enqueue, patchLocal],
  );

  const update = useCallback(
    (key: string, input: { classId?: string; box?: Box }) => {
      bump(key);
      patchLocal(key, input);
      setError(null);
      persist(key, input);
    },
    [patchLocal, persist],
  );

  const flushNudge = useCallback(
    (key: string) => {
      const timer = nudgeTimers.current.get(key);
      if (timer === undefined) return;
      clearTimeout(timer);
      nudgeTimers.current.delete(key);
      const entry = boxesRef.current.find((candidate) => candidate.key === key);
      if (entry) persist(key, { box: entry.box });
    },
    [persist],
  );

  /** Moves a box at once on screen; the save waits until the keys rest. */
  const nudge = useCallback(
    (key: string, box: Box) => {
      bump(key);
      patchLocal(key, { box });
      const timer = nudgeTimers.current.get(key);
      if (timer !== undefined) clearTimeout(timer);
      nudgeTimers.current.set(
        key,
        setTimeout(() => flushNudge(key), NUDGE_SETTLE_MS),
      );
    },
    [flushNudge, patchLocal],
  );

  const remove = useCallback(
    (key: string) => {
      const index = boxesRef.current.findIndex((entry) => entry.key === key);
      const removed = boxesRef.current[index];
      if (!removed) return;
      const pending = nudgeTimers.current.get(key);
      if (pending !== undefined) {
        clearTimeout(pending);
        nudgeTimers.current.delete(key);
      }
      bump(key);
      setBoxes((current) => current.filter((entry) => entry.key !== key));
      setSelectedKey((current) => (current === key ? null : current));
      setError(null);
      enqueue(key, async () => {
        const id = serverIds.current.get(key);
        if (!id) return;
        try {
          await gql(DELETE_ANNOTATION, { id });
          serverIds.current.delete(key);
        } catch (caught) {
          setError(`Box not deleted: ${errorMessage(caught)}`);
          const last = saved.current.get(key);
          setBoxes((current) => {
            const restored = [...current];
            restored.splice(Math.min(index, restored.length), 0, { ...removed, ...(last ?? {}) });
            return restored;
          });
        }
      });
    },
    [enqueue],
  );

  // Leaving the image (next / previous, back) must not drop a nudge that has not been saved yet.
  useEffect(() => {
    const timers = nudgeTimers.current;
    return () => {
      for (const key of [...timers.keys()]) flushNudge(key);
    };
  }, [flushNudge]);

  return {
    boxes,
    selectedKey,
    select: setSelectedKey,
    create,
    update,
    nudge,
    remove,
    error,
    clearError: () => setError(null),
    saving: inFlight > 0,
  };
}

export type AnnotationEditor = ReturnType<typeof useAnnotationEditor>;

import { operation } from "../graphql/client";

export type AnnotationSource = "HUMAN" | "IMPORTED" | "GENERATED" | "PREDICTED";

/** A bounding box in image pixels: top-left corner and size. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Annotation {
  id: string;
  source: AnnotationSource;
  defectClass: { id: string };
  box: Box;
}

const ANNOTATION_FIELDS = `id source defectClass { id } box { x y width height }`;

export const CREATE_ANNOTATION = operation<
  { createAnnotation: Annotation },
  { imageId: string; input: { classId: string; box: Box } }
>(`
  mutation CreateAnnotation($imageId: ID!, $input: CreateAnnotationInput!) {
    createAnnotation(imageId: $imageId, input: $input) { ${ANNOTATION_FIELDS} }
  }
`);

export const UPDATE_ANNOTATION = operation<
  { updateAnnotation: Annotation },
  { id: string; input: { classId?: string; box?: Box } }
>(`
  mutation UpdateAnnotation($id: ID!, $input: UpdateAnnotationInput!) {
    updateAnnotation(id: $id, input: $input) { ${ANNOTATION_FIELDS} }
  }
`);

export const DELETE_ANNOTATION = operation<{ deleteAnnotation: boolean }, { id: string }>(`
  mutation DeleteAnnotation($id: ID!) { deleteAnnotation(id: $id) }
`);

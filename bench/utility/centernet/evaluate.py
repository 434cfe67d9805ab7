"""Detections on a test set and their scores: COCO-style AP at IoU 0.5 (101-point interpolated
precision envelope, greedy matching by score), recall at a fixed confidence, and the mean AP over a
set of classes."""
import numpy as np
import torch

from .boxes import decode
from .model import normalise


@torch.no_grad()
def detect(model, scenes, cfg, batch=16):
    """-> per image (boxes [K, 4], scores [K], classes [K]) as numpy, scores >= score_threshold."""
    model.eval()
    out, d = [], cfg["decode"]
    for s in range(0, len(scenes), batch):
        images = torch.from_numpy(scenes.images[s:s + batch]).float() / 255
        boxes, scores, classes = decode(*model(normalise(images)), d["top_k"])
        for b, sc, c in zip(boxes.numpy(), scores.numpy(), classes.numpy()):
            keep = sc >= d["score_threshold"]
            out.append((b[keep], sc[keep], c[keep]))
    return out


def iou(box, boxes):
    """box [4], boxes [M, 4] -> [M]"""
    x1, y1 = np.maximum(box[0], boxes[:, 0]), np.maximum(box[1], boxes[:, 1])
    x2, y2 = np.minimum(box[2], boxes[:, 2]), np.minimum(box[3], boxes[:, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    area = lambda b: (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])  # noqa: E731
    return inter / np.maximum(area(box) + area(boxes) - inter, 1e-9)


def match(dets, gts, cls, iou_thr=0.5):
    """Greedy COCO matching for one class over all images. dets: per image (boxes, scores, classes);
    gts: per image (boxes [M, 4], labels [M]). -> (scores, is_true_positive) sorted by score, n_gt."""
    records, n_gt = [], 0
    for (db, ds, dc), (gb, gl) in zip(dets, gts):
        g = gb[gl == cls]
        n_gt += len(g)
        used = np.zeros(len(g), bool)
        sel = np.nonzero(dc == cls)[0]
        for j in sel[np.argsort(-ds[sel], kind="stable")]:
            tp = False
            if len(g):
                ious = iou(db[j], g)
                ious[used] = -1
                k = int(np.argmax(ious))
                if ious[k] >= iou_thr:
                    used[k], tp = True, True
            records.append((ds[j], tp))
    records.sort(key=lambda r: -r[0])
    return np.array([r[0] for r in records]), np.array([r[1] for r in records], bool), n_gt


def average_precision(scores, tp, n_gt):
    """COCO: precision made monotone, sampled at 101 recall points. None when the class has no
    ground truth."""
    if n_gt == 0:
        return None
    if len(tp) == 0:
        return 0.0
    ctp = np.cumsum(tp)
    recall = ctp / n_gt
    precision = ctp / np.arange(1, len(tp) + 1)
    precision = np.maximum.accumulate(precision[::-1])[::-1]
    pts = np.linspace(0, 1, 101)
    idx = np.searchsorted(recall, pts, side="left")
    return float(np.mean([precision[i] if i < len(precision) else 0.0 for i in idx]))


def recall_at(scores, tp, n_gt, confidence):
    return None if n_gt == 0 else float(tp[scores >= confidence].sum() / n_gt)


def score(dets, scenes, rare, cfg):
    """-> {rare_ap50, rare_recall, common_map50, ap50: {class: ap}}"""
    gts = [(b.numpy(), lab.numpy()) for b, lab in zip(scenes.boxes, scenes.labels)]
    e, ap = cfg["evaluate"], {}
    rare_recall = None
    for c, name in enumerate(scenes.classes):
        s, tp, n = match(dets, gts, c, e["iou"])
        ap[name] = average_precision(s, tp, n)
        if name == rare:
            rare_recall = recall_at(s, tp, n, e["recall_confidence"])
    common = [v for k, v in ap.items() if k != rare and v is not None]
    return {"rare_ap50": ap[rare], "rare_recall": rare_recall,
            "common_map50": float(np.mean(common)) if common else None, "ap50": ap}

"""Reference COCO box evaluation, written from pycocotools' COCOeval (evaluateImg, accumulate) in
numpy, independently of the TypeScript module it checks. Reads {classCount, iou, confidence,
images: [{imageId, truths, predictions}]} as JSON on stdin; writes per-class AP and counts."""
import json
import sys

import numpy as np

IOU_THRS = np.linspace(0.5, 0.95, int(np.round((0.95 - 0.5) / 0.05)) + 1, endpoint=True)
REC_THRS = np.linspace(0.0, 1.00, int(np.round((1.00 - 0.0) / 0.01)) + 1, endpoint=True)
MAX_DET = 100


def iou_matrix(dts, gts):
    """maskUtils.iou for boxes: [x, y, w, h]; crowd truths divide by the detection's area."""
    ious = np.zeros((len(dts), len(gts)))
    for i, d in enumerate(dts):
        for j, g in enumerate(gts):
            w = min(d["x"] + d["width"], g["x"] + g["width"]) - max(d["x"], g["x"])
            h = min(d["y"] + d["height"], g["y"] + g["height"]) - max(d["y"], g["y"])
            if w <= 0 or h <= 0:
                continue
            inter = w * h
            da = d["width"] * d["height"]
            union = da if g.get("crowd") else da + g["width"] * g["height"] - inter
            ious[i, j] = inter / union
    return ious


def evaluate_img(gt, dt, iou_thrs):
    if len(gt) == 0 and len(dt) == 0:
        return None
    g_ignore = np.array([1 if g.get("crowd") else 0 for g in gt])
    gtind = np.argsort(g_ignore, kind="mergesort")
    gt = [gt[i] for i in gtind]
    g_ignore = g_ignore[gtind]
    dtind = np.argsort([-d["score"] for d in dt], kind="mergesort")
    dt = [dt[i] for i in dtind[:MAX_DET]]
    iscrowd = [int(bool(g.get("crowd"))) for g in gt]
    ious = iou_matrix(dt, gt)
    T, G, D = len(iou_thrs), len(gt), len(dt)
    gtm = np.zeros((T, G))
    dtm = np.zeros((T, D))
    dt_ig = np.zeros((T, D))
    if len(ious):
        for tind, t in enumerate(iou_thrs):
            for dind in range(D):
                iou = min([t, 1 - 1e-10])
                m = -1
                for gind in range(G):
                    if gtm[tind, gind] > 0 and not iscrowd[gind]:
                        continue
                    if m > -1 and g_ignore[m] == 0 and g_ignore[gind] == 1:
                        break
                    if ious[dind, gind] < iou:
                        continue
                    iou = ious[dind, gind]
                    m = gind
                if m == -1:
                    continue
                dt_ig[tind, dind] = g_ignore[m]
                dtm[tind, dind] = 1
                gtm[tind, m] = 1
    return {
        "scores": [d["score"] for d in dt],
        "dtm": dtm,
        "dt_ig": dt_ig,
        "g_ignore": g_ignore,
    }


def accumulate(evals, T):
    """Returns precision [T, R] for one class, or None when it has no non-ignored truth."""
    evals = [e for e in evals if e is not None]
    if not evals:
        return None
    scores = np.concatenate([e["scores"] for e in evals])
    inds = np.argsort(-scores, kind="mergesort")
    dtm = np.concatenate([e["dtm"] for e in evals], axis=1)[:, inds]
    dt_ig = np.concatenate([e["dt_ig"] for e in evals], axis=1)[:, inds]
    g_ig = np.concatenate([e["g_ignore"] for e in evals])
    npig = np.count_nonzero(g_ig == 0)
    if npig == 0:
        return None
    tps = np.logical_and(dtm, np.logical_not(dt_ig))
    fps = np.logical_and(np.logical_not(dtm), np.logical_not(dt_ig))
    tp_sum = np.cumsum(tps, axis=1).astype(dtype=float)
    fp_sum = np.cumsum(fps, axis=1).astype(dtype=float)
    precision = -np.ones((T, len(REC_THRS)))
    for t, (tp, fp) in enumerate(zip(tp_sum, fp_sum)):
        tp = np.array(tp)
        fp = np.array(fp)
        rc = tp / npig
        pr = tp / (fp + tp + np.spacing(1))
        q = np.zeros((len(REC_THRS),))
        pr = pr.tolist()
        q = q.tolist()
        for i in range(len(tp) - 1, 0, -1):
            if pr[i] > pr[i - 1]:
                pr[i - 1] = pr[i]
        ri = np.searchsorted(rc, REC_THRS, side="left")
        try:
            for k, pi in enumerate(ri):
                q[k] = pr[pi]
        except IndexError:
            pass
        precision[t, :] = np.array(q)
    return precision


def counts_at(evals, confidence):
    """TP / FP / FN of one class at one IoU (the last threshold row) and a confidence."""
    tp = fp = npig = 0
    for e in evals:
        if e is None:
            continue
        npig += int(np.count_nonzero(e["g_ignore"] == 0))
        for d, s in enumerate(e["scores"]):
            if s < confidence or e["dt_ig"][-1, d]:
                continue
            if e["dtm"][-1, d]:
                tp += 1
            else:
                fp += 1
    return tp, fp, npig - tp


def main():
    spec = json.load(sys.stdin)
    iou_thrs = np.append(IOU_THRS, spec["iou"])
    out = []
    for c in range(spec["classCount"]):
        evals = []
        for image in spec["images"]:
            gt = [g for g in image["truths"] if g["classIndex"] == c]
            dt = [d for d in image["predictions"] if d["classIndex"] == c]
            evals.append(evaluate_img(gt, dt, iou_thrs))
        precision = accumulate(evals, len(iou_thrs))
        tp, fp, fn = counts_at(evals, spec["confidence"])
        if precision is None:
            out.append({"ap50": None, "ap75": None, "ap": None, "tp": tp, "fp": fp, "fn": fn})
            continue
        per_t = precision[: len(IOU_THRS)].mean(axis=1)
        out.append(
            {
                "ap50": float(per_t[0]),
                "ap75": float(per_t[5]),
                "ap": float(per_t.mean()),
                "apAtIou": float(precision[-1].mean()),
                "tp": tp,
                "fp": fp,
                "fn": fn,
            }
        )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

"""Feature-space metrics. All distances are in the feature space of the in-domain classifier
(`classifier.SmallCNN` trained on the real training crops), so FD here is FD_dom, not FID."""
import numpy as np


def _sqrtm_psd(a):
    w, v = np.linalg.eigh((a + a.T) / 2)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def frechet_distance(f1, f2):
    """||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2), via symmetric eigendecompositions."""
    mu1, mu2 = f1.mean(0), f2.mean(0)
    s1, s2 = np.cov(f1, rowvar=False), np.cov(f2, rowvar=False)
    r = _sqrtm_psd(s1)
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(r @ s2 @ r), 0, None)).sum()
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * cross)


def pairwise(a, b):
    d = (a ** 2).sum(1)[:, None] + (b ** 2).sum(1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.clip(d, 0, None))


def mean_pairwise_distance(f):
    d = pairwise(f, f)
    n = len(f)
    return float(d.sum() / (n * (n - 1))) if n > 1 else 0.0


def memorisation(gen_f, ref_f, real_f):
    """Nearest-reference distances of generated images vs those of held-out real images (real-to-real).
    near_copy_rate: share of generated images closer to a reference than the 5th percentile of the
    real-to-real nearest distances."""
    g = pairwise(gen_f, ref_f).min(1)
    r = pairwise(real_f, ref_f).min(1)
    p5 = float(np.percentile(r, 5))
    return {"gen_nn_ref_median": float(np.median(g)), "real_nn_ref_median": float(np.median(r)),
            "ratio": float(np.median(g) / max(np.median(r), 1e-12)), "real_p5": p5,
            "near_copy_rate": float((g < p5).mean())}


def recall_f1(y_true, y_pred, cls):
    tp = int(((y_pred == cls) & (y_true == cls)).sum())
    fn = int(((y_pred != cls) & (y_true == cls)).sum())
    fp = int(((y_pred == cls) & (y_true != cls)).sum())
    rec = tp / max(tp + fn, 1)
    prec = tp / max(tp + fp, 1)
    f1 = 2 * prec * rec / max(prec + rec, 1e-12)
    return {"recall": rec, "precision": prec, "f1": f1}

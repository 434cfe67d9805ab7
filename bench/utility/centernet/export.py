"""ONNX export of a trained detector (opset 17).

Contract: input `images` float32 [1, 3, H, W], RGB in [0, 1] (H, W in metadata); outputs `boxes`
float32 [N, 4] (x1, y1, x2, y2 in input pixels), `scores` float32 [N], `classes` int64 [N] after
the heatmap peak NMS (3x3 max-pool) and top-k, keeping scores >= score_threshold (metadata).
Normalisation happens inside the graph; metadata holds class_names, input_size, score_threshold,
top_k, input_format."""
import base64
import json

import numpy as np
import onnx
import torch
import torch.nn as nn

from .boxes import decode
from .model import normalise

OPSET = 17


class DetectorGraph(nn.Module):
    def __init__(self, model, top_k, score_threshold):
        super().__init__()
        self.model, self.top_k, self.score_threshold = model, top_k, score_threshold

    def forward(self, images):
        boxes, scores, classes = decode(*self.model(normalise(images)), self.top_k)
        keep = scores[0] >= self.score_threshold
        return boxes[0][keep], scores[0][keep], classes[0][keep]


def export_detector(model, classes, cfg, path):
    model = model.eval()
    h, w, d = cfg["input"]["height"], cfg["input"]["width"], cfg["decode"]
    # the wrapper must be in eval mode too: export restores the top module's mode on the whole tree
    graph = DetectorGraph(model, d["top_k"], d["score_threshold"]).eval()
    with torch.no_grad():
        torch.onnx.export(graph, (torch.rand(1, 3, h, w),), path, opset_version=OPSET, input_names=["images"],
                          output_names=["boxes", "scores", "classes"],
                          dynamic_axes={"boxes": {0: "n"}, "scores": {0: "n"}, "classes": {0: "n"}})
    m = onnx.load(path)
    meta = {"producer": "gridfill/bench-utility", "model": "centernet detector", "class_names": json.dumps(classes),
            "input_size": json.dumps({"height": h, "width": w}), "input_format": "RGB float32 [1,3,H,W] in [0,1]",
            "outputs": "boxes [N,4] x1,y1,x2,y2 in input pixels; scores [N]; classes [N] int64 into class_names",
            "score_threshold": str(d["score_threshold"]), "top_k": str(d["top_k"])}
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return graph


def _enc(a):
    a = np.ascontiguousarray(a)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "b64": base64.b64encode(a.tobytes()).decode()}


def write_fixture(graph, images, onnx_name, path):
    """Inputs and PyTorch outputs in mvsa-gan's parity-fixture format (replayable on onnxruntime-node)."""
    with torch.no_grad():
        boxes, scores, classes = graph(images)
    fx = {"tolerance": 1e-4, "cases": [{"model": onnx_name, "inputs": {"images": _enc(images.numpy())},
                                        "outputs": {"boxes": _enc(boxes.numpy()), "scores": _enc(scores.numpy()),
                                                    "classes": _enc(classes.numpy())}}]}
    with open(path, "w") as f:
        json.dump(fx, f)
    return path

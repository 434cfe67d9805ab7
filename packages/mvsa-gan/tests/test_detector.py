"""The detector of the utility benchmark (bench/utility): targets, decoding, AP, augmentation,
the split script, the driver end to end and the ONNX contract, all at toy sizes."""
import json
import os
import sys

import pytest

torch = pytest.importorskip("torch")
np = pytest.importorskip("numpy")
yaml = pytest.importorskip("yaml")

UTILITY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench", "utility")
sys.path.insert(0, UTILITY)

from centernet.augment import flip, rescale  # noqa: E402
from centernet.boxes import decode, encode  # noqa: E402
from centernet.evaluate import average_precision, match  # noqa: E402
from centernet.model import CenterNet  # noqa: E402

TINY = {"input": {"width": 64, "height": 48}, "model": {"widths": [8, 8, 8, 8, 8], "head_width": 8},
        "train": {"steps": 3, "batch_size": 2, "lr": 1e-3, "weight_decay": 0.0, "warmup_steps": 1,
                  "w_heatmap": 1.0, "w_size": 0.1, "w_offset": 1.0, "min_overlap": 0.7},
        "augment": {"flip": 0.5, "scale": [0.75, 1.25], "brightness": 0.3, "contrast": 0.3, "saturation": 0.3},
        "decode": {"top_k": 10, "score_threshold": 0.0}, "evaluate": {"iou": 0.5, "recall_confidence": 0.3}}


def test_decode_round_trips_boxes_through_the_encode_targets():
    boxes = torch.tensor([[10.0, 12.0, 50.0, 40.0], [130.5, 20.25, 170.0, 90.0], [200.0, 150.0, 260.0, 230.0]])
    labels = torch.tensor([2, 0, 2])
    heat, size, offset, mask = encode(boxes, labels, 3, 60, 80)
    assert mask.sum() == 3 and heat.max() == 1.0
    # perfect head outputs: the target heatmap as logits, sizes and offsets as the targets
    logits = torch.logit(heat.clamp(1e-6, 1 - 1e-6)).unsqueeze(0)
    got_boxes, scores, classes = decode(logits, size.unsqueeze(0), offset.unsqueeze(0), top_k=3)
    assert torch.allclose(scores[0], torch.full((3,), 1 - 1e-6), atol=1e-5)
    order = sorted(range(3), key=lambda i: got_boxes[0, i, 0].item())
    assert torch.allclose(got_boxes[0, order], boxes, atol=1e-4)
    assert classes[0, order].tolist() == labels.tolist()


def test_average_precision_coco_style():
    gts = [(np.array([[0, 0, 10, 10], [20, 20, 30, 30]], float), np.array([0, 0]))]
    perfect = [(np.array([[0, 0, 10, 10], [20, 20, 30, 30]], float), np.array([0.9, 0.8]), np.array([0, 0]))]
    assert average_precision(*match(perfect, gts, 0)) == 1.0
    # a confident false positive first, then both boxes: precision 1/2 then 2/3 over all recall
    fp = [(np.array([[50, 50, 60, 60], [0, 0, 10, 10], [20, 20, 30, 30]], float), np.array([0.95, 0.9, 0.8]),
           np.array([0, 0, 0]))]
    s, tp, n = match(fp, gts, 0)
    assert tp.tolist() == [False, True, True] and n == 2
    ap = average_precision(s, tp, n)
    assert abs(ap - (51 * (2 / 3) + 50 * (2 / 3)) / 101) < 1e-9  # envelope: 2/3 everywhere
    # a duplicate of a matched box is a false positive; a class without ground truth has no AP
    dup = [(np.array([[0, 0, 10, 10], [0, 0, 10, 10]], float), np.array([0.9, 0.8]), np.array([0, 0]))]
    assert match(dup, gts, 0)[1].tolist() == [True, False]
    assert average_precision(*match(perfect, gts, 1)) is None


def test_flip_and_rescale_move_boxes_with_the_image():
    img = torch.zeros(3, 48, 64)
    img[:, 10:20, 5:15] = 1.0
    boxes, labels = torch.tensor([[5.0, 10.0, 15.0, 20.0]]), torch.tensor([1])
    f_img, f_boxes = flip(img, boxes)
    assert f_boxes.tolist() == [[49.0, 10.0, 59.0, 20.0]] and f_img[0, 15, 50] == 1.0
    for seed, scale in ((0, 0.5), (1, 1.6), (2, 2.0)):
        s_img, s_boxes, s_labels = rescale(img, boxes, labels, scale, torch.Generator().manual_seed(seed))
        if not s_labels.numel():
            continue  # cropped away
        x1, y1, x2, y2 = s_boxes[0].tolist()
        assert s_labels.tolist() == [1]
        inside = torch.zeros(48, 64, dtype=torch.bool)
        inside[int(y1) + 1:int(y2) - 1, int(x1) + 1:int(x2) - 1] = True
        assert s_img[0][inside].mean() > 0.9  # the object is where its box says
        outside = torch.ones(48, 64, dtype=torch.bool)
        outside[max(0, int(y1) - 1):int(y2) + 2, max(0, int(x1) - 1):int(x2) + 2] = False
        assert s_img[0][outside].max() <= 0.5  # and nowhere else (grey canvas or black background)


def _tiny_cfg(tmp_path):
    p = tmp_path / "det.yaml"
    p.write_text(yaml.safe_dump(TINY))
    return str(p)


def test_split_and_driver_end_to_end(tmp_path, tiny_voc):
    import make_split
    import run

    make_split.main(["--scenes", os.path.join(tiny_voc, "setA"), "--rare", "crack", "--rare-train", "2",
                     "--test-images", "3", "--min-test-rare", "2", "--out", str(tmp_path / "split")])
    rep = json.loads((tmp_path / "split" / "split.json").read_text())
    assert rep["train"]["boxes"]["crack"] == 2 and rep["test"]["boxes"]["crack"] >= 2
    assert rep["train"]["images"] + rep["test"]["images"] <= 6
    args = ["--train", str(tmp_path / "split" / "train"), "--test", str(tmp_path / "split" / "test"),
            "--rare", "crack", "--out", str(tmp_path / "out"), "--seeds", "2", "--config", _tiny_cfg(tmp_path),
            "--fills", f"other={os.path.join(tiny_voc, 'setB')}"]
    run.main(args)
    res = json.loads((tmp_path / "out" / "results.json").read_text())
    assert set(res) == {"real", "classic", "fill:other"} and all(len(v) == 2 for v in res.values())
    assert res["fill:other"][0]["rare_train_boxes"] == 2 + 6  # setB's six images each hold a crack
    assert (tmp_path / "out" / "classic-s1" / "detector.onnx").exists()
    md = (tmp_path / "out" / "results.md").read_text()
    assert "| real | 2 | 2 |" in md and "rare AP50" in md
    # finished runs are not trained again
    first = (tmp_path / "out" / "real-s0" / "result.json").stat().st_mtime
    run.main(args)
    assert (tmp_path / "out" / "real-s0" / "result.json").stat().st_mtime == first
    # a fill folder holding a test image is refused
    with pytest.raises(SystemExit):
        run.main(args[:-1] + [f"leak={tmp_path / 'split' / 'test'}"])


def test_onnx_contract_and_parity(tmp_path):
    onnx = pytest.importorskip("onnx")
    from centernet.export import export_detector, write_fixture
    from mvsa_gan.export import check_parity

    torch.manual_seed(0)
    model = CenterNet(3, TINY["model"]["widths"], TINY["model"]["head_width"]).eval()
    path = str(tmp_path / "detector.onnx")
    graph = export_detector(model, ["a", "b", "c"], TINY, path)
    m = onnx.load(path)
    meta = {p.key: p.value for p in m.metadata_props}
    assert json.loads(meta["class_names"]) == ["a", "b", "c"]
    assert json.loads(meta["input_size"]) == {"height": 48, "width": 64} and "[0,1]" in meta["input_format"]
    assert [i.name for i in m.graph.input] == ["images"]
    assert [o.name for o in m.graph.output] == ["boxes", "scores", "classes"]
    assert m.graph.output[2].type.tensor_type.elem_type == onnx.TensorProto.INT64
    x = torch.rand(1, 3, 48, 64, generator=torch.Generator().manual_seed(1))
    boxes, scores, classes = graph(x)
    assert boxes.shape == (10, 4) and scores.shape == (10,) and classes.dtype == torch.int64
    assert (scores[:-1] >= scores[1:]).all()
    # the graph's detections are decode()'s
    ref = decode(*model((x - 0.45) / 0.25), top_k=10)
    assert torch.allclose(boxes, ref[0][0]) and torch.equal(classes, ref[2][0])
    res = check_parity(write_fixture(graph, x, "detector.onnx", str(tmp_path / "fixture.json")))
    if res is None:
        pytest.skip("node / onnxruntime-node not available for the parity replay")
    assert max(res.values()) <= 1e-4, res

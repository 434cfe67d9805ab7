import json

import pytest

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")

from mvsa_gan.export import check_parity, export_models, write_fixture  # noqa: E402
from mvsa_gan.model import build_models  # noqa: E402


def test_export_metadata_and_parity(tmp_path, tiny_cfg):
    torch.manual_seed(0)
    tiny_cfg["classes"] = {"all": ["a", "b", "c"], "seen": ["a", "b"], "unseen": ["c"]}
    gen, dis = build_models(tiny_cfg, 2)
    # a few train-mode passes so BatchNorm statistics and spectral-norm vectors are non-trivial
    from mvsa_gan.model import sample_fusion_inputs
    for _ in range(2):
        c, p = sample_fusion_inputs(4, 3, 4, 8)
        dis(gen(torch.rand(4, 3, 3, 16, 16) * 2 - 1, c, p)[0])
    g_path, d_path = export_models(gen, dis, tiny_cfg, str(tmp_path), step=0)

    g = onnx.load(g_path)
    meta = {p.key: p.value for p in g.metadata_props}
    assert meta["image_size"] == "16" and meta["k_shot"] == "3" and meta["grid_size"] == "4"
    assert meta["n_positions"] == "8" and json.loads(meta["class_names"]) == ["a", "b", "c"]
    assert "training_config" in meta and "version" in meta
    assert [i.name for i in g.graph.input] == ["images", "coefficients", "positions"]
    assert g.graph.input[2].type.tensor_type.elem_type == onnx.TensorProto.INT64
    assert [o.name for o in g.graph.output] == ["image"]
    d = onnx.load(d_path)
    assert [o.name for o in d.graph.output] == ["realism", "class_logits", "features"]
    random_ops = ("RandomUniform", "RandomNormal", "RandomUniformLike", "RandomNormalLike", "Multinomial", "Dropout")
    assert not any(n.op_type in random_ops for n in g.graph.node)
    # DiffAugment is training-only: the exported critic scores the image as given
    assert not any(n.op_type in random_ops for n in d.graph.node)
    meta_d = {p.key: p.value for p in d.metadata_props}
    assert meta_d["generator_weights"] == "ema" and meta_d["max_iter"] == str(tiny_cfg["train"]["max_iter"])

    # batch 3 differs from the traced batch 2: exercises the dynamic batch axis
    fx = write_fixture(gen, dis, tiny_cfg, str(tmp_path), batch=3)
    res = check_parity(fx)
    if res is None:
        pytest.skip("node / onnxruntime-node not available for the parity replay")
    assert len(res) == 4
    assert max(res.values()) <= 1e-4, res

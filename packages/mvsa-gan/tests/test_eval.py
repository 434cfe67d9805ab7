import json

import pytest

np = pytest.importorskip("numpy")
torch = pytest.importorskip("torch")

from mvsa_gan.metrics import frechet_distance, mean_pairwise_distance, memorisation, recall_f1  # noqa: E402


def test_frechet_distance_matches_closed_form():
    r = np.random.RandomState(0)
    a, b = r.randn(4000, 3), r.randn(4000, 3) * 2 + 1
    # independent Gaussians: |mu1-mu2|^2 + sum (sigma1 - sigma2)^2 = 3 + 3
    assert abs(frechet_distance(a, b) - 6.0) < 0.3
    assert frechet_distance(a, a) < 1e-6


def test_diversity_and_memorisation():
    r = np.random.RandomState(1)
    refs, real = r.randn(10, 8), r.randn(50, 8)
    copies = refs[r.randint(10, size=40)] + 1e-3
    m = memorisation(copies, refs, real)
    assert m["near_copy_rate"] == 1.0 and m["ratio"] < 0.01
    assert memorisation(r.randn(40, 8), refs, real)["near_copy_rate"] < 0.3
    assert mean_pairwise_distance(np.zeros((5, 8))) == 0.0
    assert mean_pairwise_distance(real) > 0


def test_recall_f1():
    s = recall_f1(np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1]), 1)
    assert s["recall"] == 1.0 and abs(s["precision"] - 2 / 3) < 1e-9 and abs(s["f1"] - 0.8) < 1e-9


def test_evaluate_cli_smoke(tmp_path, tiny_voc):
    pytest.importorskip("yaml")
    import yaml
    from conftest import TINY
    from mvsa_gan import evaluate, train

    cfg = tmp_path / "tiny.yaml"
    cfg.write_text(yaml.safe_dump({**TINY, "train": {**TINY["train"], "max_iter": 2}}))
    train.main(["--config", str(cfg), "--data", tiny_voc, "--out", str(tmp_path / "run"), "--unseen", "nest",
                "--threads", "1"])
    evaluate.main(["--data", tiny_voc, "--model", f"m={tmp_path / 'run'}", "--classes", "nest,cap",
                   "--rare", "nest", "--out", str(tmp_path / "ev"), "--shots", "3", "--n-gen", "6",
                   "--seeds", "1", "--clf-steps", "2", "--cap-per-class", "8", "--threads", "1"])
    rep = json.loads((tmp_path / "ev" / "eval.json").read_text())
    assert set(rep["classes"]) == {"nest", "cap"}
    assert set(rep["classes"]["nest"]["generators"]) == {"copy_augment", "m"}
    assert set(rep["downstream"]) == {"real_only", "classic_augmentation", "fill_copy_augment", "fill_m"}
    assert rep["downstream"]["real_only"]["train_rare"] == 3
    assert rep["downstream"]["fill_m"]["train_rare"] > 3
    assert "FD_dom" in (tmp_path / "ev" / "eval.md").read_text()
    assert (tmp_path / "ev" / "samples_nest.png").exists()

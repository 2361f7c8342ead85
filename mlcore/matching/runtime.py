"""Which runtime embeds whole texts for a blend version: PyTorch fp32, or ONNX Runtime int8.

`SMARTHR_FIT_RUNTIME` picks it: `onnx-int8` (the default) runs the two stacks of a blend
(`whole_text.TwoStackEncoder`) as one ONNX graph with fused attention and int8 weights
(ONNX Runtime's dynamic quantisation, per channel); `torch` runs them in PyTorch fp32.

The ONNX file is built from the local weights on first use (the installed MiniLM, the
version's adapter and head): exported with `torch.onnx`, fused by ONNX Runtime's transformer
optimizer, quantised, then kept in a cache folder (`SMARTHR_FIT_CACHE`, default
`~/.cache/smarthr/fit`) under a key of the weights, the recipe and the library versions.
Nothing is downloaded, nothing large is committed; a new version or a new recipe builds anew.
"""

from __future__ import annotations

import copy
import fcntl
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .whole_text import TwoStackEncoder

RUNTIME_ENV = "SMARTHR_FIT_RUNTIME"
CACHE_ENV = "SMARTHR_FIT_CACHE"
TORCH = "torch"
ONNX_INT8 = "onnx-int8"
RUNTIMES = (ONNX_INT8, TORCH)
DEFAULT_RUNTIME = ONNX_INT8
# Bump when the export, fusion or quantisation recipe changes: cached files are rebuilt.
RECIPE = "two-stack-3"
_INPUTS = ("input_ids", "attention_mask")
_OUTPUTS = ("plain", "tuned")
# The residual add and LayerNorm stay two operators (not fused into SkipLayerNormalization,
# neither in the file nor by ONNX Runtime when it loads it): on one thread ONNX Runtime
# 1.32's fused kernel took 19 % of a window's time here, the two plain ones 4 %.
_DISABLED_FUSIONS = ["SkipLayerNormFusion"]


class UnknownRuntime(ValueError):
    pass


def fit_runtime() -> str:
    """The runtime named by `SMARTHR_FIT_RUNTIME` (unset or empty: the default)."""
    chosen = os.environ.get(RUNTIME_ENV, "").strip().lower() or DEFAULT_RUNTIME
    if chosen not in RUNTIMES:
        raise UnknownRuntime(
            f"{RUNTIME_ENV}={chosen!r} is not a fit runtime; use one of {', '.join(RUNTIMES)}"
        )
    return chosen


def cache_dir() -> Path:
    root = os.environ.get(CACHE_ENV)
    return Path(root) if root else Path.home() / ".cache" / "smarthr" / "fit"


def threads() -> int:
    """As many threads as torch uses here (`SMARTHR_TORCH_THREADS` sets both)."""
    import torch

    wanted = int(os.environ.get("SMARTHR_TORCH_THREADS", "0"))
    return wanted if wanted > 0 else int(torch.get_num_threads())


@dataclass
class OnnxTwoStack:
    """The two stacks of a blend in ONNX Runtime: token ids and mask (NumPy int64) in, the
    (plain, tuned) unit vectors out, as `TwoStackEncoder` gives them."""

    session: Any
    path: Path
    dims: tuple[int, int]

    @classmethod
    def open(cls, path: Path, dims: tuple[int, int], options: Any = None) -> OnnxTwoStack:
        """`options`: `session_options()` (the default), or a variant of it (profiling)."""
        import onnxruntime as ort

        session = ort.InferenceSession(
            str(path),
            options or session_options(),
            providers=["CPUExecutionProvider"],
            disabled_optimizers=_DISABLED_FUSIONS,
        )
        return cls(session=session, path=path, dims=dims)

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> tuple[Any, Any]:
        """One session run per window, cut to its own length (the shapes are dynamic).

        Why not the whole batch at once: on one thread a window alone runs about 13 % faster
        than in a batch of 32 (the activations, attention probabilities included, stay in
        the CPU's cache), a short window carries no padding, and each window's int8
        activation scales (dynamic quantisation, per tensor) come from that window alone, so
        a text's vector no longer depends on which other texts shared its batch."""
        ids = input_ids.astype(np.int64)
        mask = attention_mask.astype(np.int64)
        plain, tuned = [], []
        for row in range(len(ids)):
            width = _used_width(mask[row])
            p, t = self.session.run(
                list(_OUTPUTS),
                {
                    "input_ids": ids[row : row + 1, :width],
                    "attention_mask": mask[row : row + 1, :width],
                },
            )
            plain.append(p)
            tuned.append(t)
        if not plain:
            return (
                np.zeros((0, self.dims[0]), dtype=np.float32),
                np.zeros((0, self.dims[1]), dtype=np.float32),
            )
        return (
            np.concatenate(plain).astype(np.float32, copy=False),
            np.concatenate(tuned).astype(np.float32, copy=False),
        )


def _used_width(mask_row: np.ndarray) -> int:
    """Columns up to the last unmasked token: the padding after it can be cut off, as the
    attention mask hides it anyway (at least one column, so a run never has zero width)."""
    kept = np.flatnonzero(mask_row)
    return int(kept[-1]) + 1 if len(kept) else 1


def session_options() -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads()
    options.inter_op_num_threads = 1
    # Threads sleep rather than spin between operators: a worker shares its cores with
    # other workers, the web process and the database (about 12 % faster here, busy).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def weights_key(two_stack: TwoStackEncoder) -> str:
    """A hash of every weight of the two stacks, the recipe and the library versions."""
    import onnxruntime
    import torch

    digest = hashlib.sha256(f"{RECIPE}|{torch.__version__}|{onnxruntime.__version__}".encode())
    for name, tensor in sorted(two_stack.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def onnx_two_stack(two_stack: TwoStackEncoder, version: str) -> OnnxTwoStack:
    """The int8 ONNX stacks of `two_stack`, built into the cache folder on first use (one
    process builds, others wait on a file lock, then read the same file)."""
    from mlcore import encoder

    folder = cache_dir() / version
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"two-stack-int8-{weights_key(two_stack)}.onnx"
    with open(folder / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            build_int8(two_stack, path)
    dims = (encoder.HIDDEN_SIZE, int(two_stack.tuned.head.out_features))
    return OnnxTwoStack.open(path, dims)


class _ExportStacks:
    """Builds the module that is exported: the stacks with eager attention (the pattern ONNX
    Runtime fuses), and each top reading its own copy of the shared states, because the
    fusion wants exactly one attention block reading a LayerNorm output."""

    @staticmethod
    def module(two_stack: TwoStackEncoder) -> Any:
        import torch
        from torch import nn

        from mlcore import encoder

        stacks = copy.deepcopy(two_stack).cpu().eval()
        for part in stacks.modules():
            config = getattr(part, "config", None)
            if config is not None:
                config._attn_implementation = "eager"

        class Exported(nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.stacks = stacks

            def forward(
                self, input_ids: torch.Tensor, attention_mask: torch.Tensor
            ) -> tuple[torch.Tensor, torch.Tensor]:
                s = self.stacks
                bert = s.tuned.base
                hidden, mask = encoder.lower_layers(bert, input_ids, attention_mask, s.first)
                # A no-op ONNX Runtime drops after fusing: the plain top's own input tensor.
                plain = encoder.run_blocks(s.plain_top, hidden + 0.0, mask)
                tuned = encoder.run_blocks(bert.encoder.layer[s.first :], hidden, mask)
                plain_vec = encoder.mean_pool(plain, attention_mask)
                tuned_vec = s.tuned.head(encoder.mean_pool(tuned, attention_mask))
                return (
                    nn.functional.normalize(plain_vec, dim=-1),
                    nn.functional.normalize(tuned_vec, dim=-1),
                )

        return Exported().eval()


def build_int8(two_stack: TwoStackEncoder, out: Path) -> None:
    """Export (fp32) → fuse attention, LayerNorm and GELU (tanh form; the residual add left
    apart) → int8 weights per channel."""
    import warnings

    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer
    from onnxruntime.transformers.fusion_options import FusionOptions

    from mlcore import encoder

    module = _ExportStacks.module(two_stack)
    config = two_stack.tuned.base.config
    ids = torch.full((2, 16), encoder.tokenizer().unk_token_id, dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
    axes.update({name: {0: "batch"} for name in _OUTPUTS})
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        fp32, fused = Path(tmp) / "fp32.onnx", Path(tmp) / "fused.onnx"
        with warnings.catch_warnings(), torch.no_grad():
            # The TorchScript exporter: the graph ONNX Runtime's BERT fusions recognise.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                module,
                (ids, mask),
                str(fp32),
                dynamo=False,
                input_names=list(_INPUTS),
                output_names=list(_OUTPUTS),
                dynamic_axes=axes,
                opset_version=17,
            )
        fusions = FusionOptions("bert")
        fusions.enable_skip_layer_norm = False  # see _DISABLED_FUSIONS
        # GELU as FastGelu (tanh form) rather than BiasGelu (erf): about 5 % of a window on
        # one thread; the window vectors stay as close to fp32's as before (cosine 0.99+).
        fusions.enable_gelu_approximation = True
        optimized = optimizer.optimize_model(
            str(fp32),
            model_type="bert",
            num_heads=int(config.num_attention_heads),
            hidden_size=int(config.hidden_size),
            opt_level=0,
            optimization_options=fusions,
        )
        fused_attention = optimized.get_fused_operator_statistics().get("Attention", 0)
        layers = len(two_stack.plain_top) + len(two_stack.tuned.base.encoder.layer)
        if fused_attention != layers:
            raise RuntimeError(
                f"ONNX export: {fused_attention} of {layers} attention blocks fused; "
                f"set {RUNTIME_ENV}={TORCH} and report it"
            )
        optimized.save_model_to_file(str(fused))
        partial = Path(tmp) / "int8.onnx"
        # The quantiser logs every tensor on the root logger: quiet while it runs.
        root = logging.getLogger()
        level = root.level
        root.setLevel(max(level, logging.ERROR))
        try:
            quantize_dynamic(
                str(fused),
                str(partial),
                weight_type=QuantType.QInt8,
                per_channel=True,
                reduce_range=False,
                extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
            )
        finally:
            root.setLevel(level)
        os.replace(partial, out)

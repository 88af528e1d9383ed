"""Whole-post scoring throughput against the machine's own GEMM roofline and a naive baseline.

Usage:
    python bench/bench_pipeline.py                          # whole archive (≥ 2 MB), CPU
    python bench/bench_pipeline.py --posts 40 --memory-posts 10            # quick run
    python bench/bench_pipeline.py --device cuda            # on a GPU machine
    python bench/bench_pipeline.py --compare-dtype int8             # also the int8 pipeline, side by side
    python bench/bench_pipeline.py [--dtype auto|fp32|bf16|int8] [--skip-baseline] [--json PATH]

One run, one process tree, printed side by side:

1. roofline: torch GEMM GFLOP/s on MiniLM-shaped matrices (fp32, bf16, int8);
2. tagging alone (no classifier): words/s;
3. the full pipeline (tag + classify every token of every post): posts/s, tokens/s,
   achieved model GFLOP/s as a fraction of each measured peak;
4. the naive baseline: ``transformers.pipeline("text-classification")``, batch size 1,
   fp32, ``truncation=True``;
5. peak RSS of fresh child processes scoring M and 10×M posts (streamed).

The archive is built by ``bench/make_archive.py`` if missing. Ratios matter; absolute
times on a shared two-core machine are noise. Numbers go to ``--json``
(default ``bench/results/pipeline_<device>.json``).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_archive import DEFAULT_OUT, ROOT, build_archive, describe, read_archive  # noqa: E402

MODEL_DIR = ROOT / "models" / "hype-minilm"
FLOPS_PER_TOKEN = 23.5e6  # MiniLM-L6 forward, from the issue
HIDDEN, FFN = 384, 1536
# (name, K, N, count per layer): the GEMMs of one MiniLM layer, per token row.
GEMM_SHAPES = (("attn proj 384x384", HIDDEN, HIDDEN, 4), ("ffn up 384x1536", HIDDEN, FFN, 1),
               ("ffn down 1536x384", FFN, HIDDEN, 1))
BATCH = 64


def say(*parts: Any) -> None:
    print(*parts, flush=True)


def sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def machine_info(device: str) -> Dict[str, Any]:
    import spacy
    import torch
    import transformers

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: Dict[str, Any] = {
        "cpu": cpu, "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
        "cpu_capability": torch.backends.cpu.get_cpu_capability(), "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__, "transformers": transformers.__version__, "spacy": spacy.__version__,
        "python": platform.python_version(), "platform": platform.platform(), "device": device,
        "loadavg_start": os.getloadavg(),
    }
    if device.startswith("cuda"):
        info["gpu"] = torch.cuda.get_device_name(device)
        info["cuda"] = torch.version.cuda
    return info


# --- 1. roofline -------------------------------------------------------------------------------------------------

def _gemm_fn(kind: str, m: int, k: int, n: int, device: str) -> Callable[[], Any]:
    import torch

    if kind in ("fp32", "bf16"):
        dt = torch.float32 if kind == "fp32" else torch.bfloat16
        a, b = torch.randn(m, k, device=device, dtype=dt), torch.randn(k, n, device=device, dtype=dt)
        return lambda: torch.matmul(a, b)
    if kind == "int8":
        a = torch.randint(-64, 64, (m, k), dtype=torch.int8, device=device)
        b = torch.randint(-64, 64, (k, n), dtype=torch.int8, device=device)
        return lambda: torch._int_mm(a, b)
    if kind == "int8-dynamic":
        # What torch.ao dynamic quantization runs on CPU (fbgemm/onednn), activation quantization included.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(torch.nn.Linear(k, n)),
                                                           {torch.nn.Linear}, dtype=torch.qint8)
        x = torch.randn(m, k)

        def run() -> Any:
            with torch.inference_mode():
                return layer(x)
        return run
    raise ValueError(kind)


def _timed(fn: Callable[[], Any], iters: int, device: str) -> float:
    sync(device)
    start = time.perf_counter()
    for _ in range(iters):
        fn()
    sync(device)
    return time.perf_counter() - start


def gemm_rate(kind: str, k: int, n: int, device: str, *, max_m: int = 4096, target_s: float = 0.2,
              repeats: int = 5) -> Dict[str, Any]:
    """Best-of-``repeats`` GFLOP/s of an (m×k)@(k×n) GEMM; m shrinks below ``max_m`` only for very slow dtypes."""
    probe = _gemm_fn(kind, 256, k, n, device)
    probe()
    est = _timed(probe, 1, device)
    m = int(min(max_m, max(64, 256 * target_s / max(est, 1e-9))) // 64 * 64)
    fn = _gemm_fn(kind, m, k, n, device)
    fn()
    once = _timed(fn, 1, device)
    iters = max(1, min(100_000, int(target_s / max(once, 1e-9))))
    best = min(_timed(fn, iters, device) for _ in range(repeats))
    return {"m": m, "k": k, "n": n, "iters": iters, "gflops": 2 * m * k * n * iters / best / 1e9}


def roofline(device: str) -> Dict[str, Any]:
    import torch

    kinds = ["fp32", "bf16", "int8"] + ([] if device.startswith("cuda") else ["int8-dynamic"])
    out: Dict[str, Any] = {"shapes": {}, "peak": {}, "layer_mix": {}, "notes": []}
    for kind in kinds:
        rows = {}
        try:
            for name, k, n, _ in GEMM_SHAPES:
                rows[name] = gemm_rate(kind, k, n, device)
        except Exception as err:  # noqa: BLE001  an unsupported dtype is a finding, not a failure
            note = f"{kind} skipped: {type(err).__name__}: {str(err).splitlines()[0][:160]}"
            out["notes"].append(note)
            say(f"  {note}")
            continue
        out["shapes"][kind] = rows
        out["peak"][kind] = max(r["gflops"] for r in rows.values())
        # Rate over one layer's GEMM mix: total flops / total time.
        flops = {name: k * n * count for name, k, n, count in GEMM_SHAPES}
        out["layer_mix"][kind] = sum(flops.values()) / sum(flops[nm] / rows[nm]["gflops"] for nm in flops)
        shapes = ", ".join(f"{nm} {r['gflops']:.1f} (m={r['m']})" for nm, r in rows.items())
        say(f"  {kind:<13} peak {out['peak'][kind]:8.1f} GFLOP/s   layer mix {out['layer_mix'][kind]:8.1f}   [{shapes}]")
    out["fastest"] = max(out["peak"], key=out["peak"].get)
    if not device.startswith("cuda"):
        cpu = getattr(torch, "cpu", None)
        out["native_bf16"] = bool(cpu and (cpu._is_avx512_bf16_supported() or cpu._is_amx_tile_supported()))
    say(f"  fastest: {out['fastest']} at {out['peak'][out['fastest']]:.1f} GFLOP/s "
        f"→ bound {out['peak'][out['fastest']] * 1e9 / FLOPS_PER_TOKEN:,.0f} model tokens/s at "
        f"{FLOPS_PER_TOKEN / 1e6:.1f} MFLOP/token")
    return out


def merge_roofline(first: Dict[str, Any], second: Dict[str, Any]) -> Dict[str, Any]:
    """Per-dtype best of two roofline measurements."""
    merged = {"peak": {}, "layer_mix": {}, "notes": sorted(set(first["notes"]) | set(second["notes"]))}
    for key in ("peak", "layer_mix"):
        for kind in [*first[key], *(k for k in second[key] if k not in first[key])]:
            merged[key][kind] = max(first[key].get(kind, 0.0), second[key].get(kind, 0.0))
    merged["fastest"] = max(merged["peak"], key=merged["peak"].get)
    if "native_bf16" in first:
        merged["native_bf16"] = first["native_bf16"]
    return merged


# --- 2. tagging --------------------------------------------------------------------------------------------------

def bench_tagging(texts: Sequence[str]) -> Dict[str, Any]:
    import hypedetect

    nlp = hypedetect.build_pipeline()
    for _ in nlp.pipe(texts[:16], batch_size=BATCH):
        pass
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    spans = sum(len(doc.spans["hype"]) if "hype" in doc.spans else 0 for doc in nlp.pipe(texts, batch_size=BATCH))
    seconds = time.perf_counter() - start
    return {"pipes": nlp.pipe_names, "words": words, "seconds": seconds, "words_per_s": words / seconds,
            "posts_per_s": len(texts) / seconds, "spans": spans}


# --- 3. full pipeline --------------------------------------------------------------------------------------------

class Counters:
    """Work done inside HypeModel while the pipeline runs (filled by :func:`counting`)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.model_tokens = self.padded_tokens = self.sequences = self.forward_calls = self.batches = 0
        self.model_s = self.tokenize_s = self.score_s = 0.0


@contextmanager
def counting(hype_model: Any) -> Iterator[Counters]:
    """Wrap ``HypeModel.forward_ids``/``tokenize``/``score_token_docs`` to count tokens and time in this process."""
    from hypedetect.model import HypeModel

    counters = Counters()
    originals = {name: getattr(HypeModel, name) for name in ("forward_ids", "tokenize", "score_token_docs")}

    def forward_ids(self: Any, sequences: Sequence[Sequence[int]], *args: Any, **kwargs: Any) -> Any:
        budget = self.budget
        counters.model_tokens += sum(min(len(s), budget) + 2 for s in sequences)
        counters.sequences += len(sequences)
        counters.forward_calls += 1
        start = time.perf_counter()
        try:
            return originals["forward_ids"](self, sequences, *args, **kwargs)
        finally:
            counters.model_s += time.perf_counter() - start

    def timed(name: str, field: str) -> Callable[..., Any]:
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return originals[name](self, *args, **kwargs)
            finally:
                setattr(counters, field, getattr(counters, field) + time.perf_counter() - start)
        return wrapper

    def count_padded(module: Any, args: Any, kwargs: Dict[str, Any]) -> None:
        ids = kwargs.get("input_ids", args[0] if args else None)
        if ids is not None:
            counters.padded_tokens += int(ids.numel())
            counters.batches += 1

    handle = hype_model.model.register_forward_pre_hook(count_padded, with_kwargs=True)
    HypeModel.forward_ids = forward_ids
    HypeModel.tokenize = timed("tokenize", "tokenize_s")
    HypeModel.score_token_docs = timed("score_token_docs", "score_s")
    try:
        yield counters
    finally:
        for name, fn in originals.items():
            setattr(HypeModel, name, fn)
        handle.remove()


def fractions(gflops: float, roof: Dict[str, Any]) -> Dict[str, float]:
    return {kind: gflops / peak for kind, peak in roof["peak"].items() if peak > 0}


def bench_full(texts: Sequence[str], post_tokens: Sequence[int], device: str, dtype: str) -> Dict[str, Any]:
    import hypedetect

    load_start = time.perf_counter()
    nlp = hypedetect.load(dtype=dtype, device=device)
    hype_model = nlp.get_pipe("hypedetect_classifier").hype_model
    load_s = time.perf_counter() - load_start
    for _ in nlp.pipe(texts[:8], batch_size=BATCH):
        pass
    with counting(hype_model) as c:
        sync(device)
        start = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=BATCH))
        sync(device)
        wall = time.perf_counter() - start
    scored = sum(doc._.hype is not None for doc in docs)
    del docs
    gc.collect()
    total_post_tokens = sum(post_tokens)
    model_gflops = c.model_tokens * FLOPS_PER_TOKEN / c.model_s / 1e9 if c.model_s else 0.0
    wall_gflops = c.model_tokens * FLOPS_PER_TOKEN / wall / 1e9
    return {
        "dtype": hype_model.dtype, "device": hype_model.device, "budget": hype_model.budget, "load_s": load_s,
        "posts": len(texts), "scored": scored, "seconds": wall, "posts_per_s": len(texts) / wall,
        "post_tokens": total_post_tokens, "post_tokens_per_s": total_post_tokens / wall,
        "share_of_text_read": 1.0,
        "model_tokens": c.model_tokens, "padded_tokens": c.padded_tokens, "sequences": c.sequences,
        "forward_calls": c.forward_calls, "model_batches": c.batches,
        "model_tokens_per_post_token": c.model_tokens / total_post_tokens,
        "padding_overhead": c.padded_tokens / c.model_tokens - 1 if c.model_tokens else 0.0,
        "model_tokens_per_s_in_model": c.model_tokens / c.model_s if c.model_s else 0.0,
        "time": {"model_s": c.model_s, "hf_tokenize_s": c.tokenize_s,
                 "windowing_aggregation_s": c.score_s - c.model_s,
                 "spacy_tagging_and_rest_s": wall - c.score_s - c.tokenize_s},
        "gflops_in_model": model_gflops, "gflops_wall": wall_gflops,
        "main_process_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# --- 4. naive baseline -------------------------------------------------------------------------------------------

def bench_baseline(texts: Sequence[str], post_tokens: Sequence[int], device: str) -> Dict[str, Any]:
    import torch
    import transformers
    from transformers import pipeline

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    # transformers 5 calls it ``dtype``; 4.x called it ``torch_dtype``.
    import inspect

    dtype_arg = "dtype" if "dtype" in inspect.signature(pipeline).parameters else "torch_dtype"
    clf = pipeline("text-classification", model=str(MODEL_DIR), device=device, batch_size=1, truncation=True,
                   **{dtype_arg: torch.float32})
    limit = clf.tokenizer.model_max_length - clf.tokenizer.num_special_tokens_to_add(pair=False)
    for text in texts[:4]:
        clf(text)
    sync(device)
    start = time.perf_counter()
    labels = [clf(text)[0]["label"] for text in texts]
    sync(device)
    wall = time.perf_counter() - start
    read = sum(min(n, limit) + 2 for n in post_tokens)
    text_read = sum(min(n, limit) for n in post_tokens)
    return {"call": f"pipeline('text-classification', batch_size=1, truncation=True, {dtype_arg}=torch.float32)",
            "posts": len(texts), "seconds": wall, "posts_per_s": len(texts) / wall, "tokens_read": read,
            "tokens_per_s": read / wall, "text_tokens_per_s": text_read / wall,
            "share_of_text_read": text_read / sum(post_tokens),
            "posts_truncated": sum(n > limit for n in post_tokens), "labels_seen": sorted(set(labels)),
            "gflops_wall": read * FLOPS_PER_TOKEN / wall / 1e9}


# --- 5. memory (fresh child processes) ---------------------------------------------------------------------------

def _proc_status_mb(field: str) -> Optional[float]:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Reset this process's RSS high-water mark (Linux ≥ 4.0), so the scoring phase gets its own peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def child_main(path: Path, device: str, dtype: str) -> None:
    """Stream ``path`` through the full pipeline into a JSONL file; print own peak RSS as the last line.

    Peaks come from VmHWM: ``ru_maxrss`` of an exec'd child still carries the parent's RSS at fork time.
    """
    import hypedetect

    nlp = hypedetect.load(dtype=dtype, device=device)
    nlp.get_pipe("hypedetect_classifier").hype_model
    for _ in nlp.pipe(["Warm-up: social selling will 10x your pipeline. Maybe."]):
        pass
    load_peak = _proc_status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_before = _proc_status_mb("VmRSS")
    reset = _reset_peak_rss()
    rows = ((row.pop("text"), row) for row in read_archive(path))
    posts = 0
    trace: List[List[float]] = []  # [posts, RSS MB, seconds] after each batch: growth vs a one-off peak
    start = time.perf_counter()
    with tempfile.TemporaryFile("w", encoding="utf-8") as out:
        for doc, meta in nlp.pipe(rows, batch_size=BATCH, as_tuples=True):
            out.write(json.dumps(hypedetect.to_record(doc, meta), ensure_ascii=False) + "\n")
            posts += 1
            if posts % BATCH == 0:
                trace.append([posts, round(_proc_status_mb("VmRSS") or 0.0, 1), round(time.perf_counter() - start, 1)])
    seconds = time.perf_counter() - start
    scoring_peak = _proc_status_mb("VmHWM") if reset else None
    whole_peak = max(load_peak, scoring_peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result = {"posts": posts, "seconds": seconds, "posts_per_s": posts / seconds,
              "maxrss_mb": whole_peak, "load_peak_mb": load_peak, "rss_before_scoring_mb": rss_before,
              "scoring_peak_mb": scoring_peak, "rss_end_mb": _proc_status_mb("VmRSS"), "rss_trace": trace}
    if device.startswith("cuda"):
        import torch

        result["cuda_max_allocated_mb"] = torch.cuda.max_memory_allocated() / 2**20
    print("CHILD_RESULT " + json.dumps(result), flush=True)


def run_child(path: Path, device: str, dtype: str) -> Dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(path), "--device", device, "--dtype", dtype]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=str(ROOT))
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("CHILD_RESULT "):
            return json.loads(line[len("CHILD_RESULT "):])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
    return {"error": f"child exited {proc.returncode}: " + " | ".join(tail)}


def bench_memory(m: int, device: str, dtype: str) -> Dict[str, Any]:
    data = DEFAULT_OUT.parent
    one = build_archive(data / f"memory_{m}x1.jsonl", scale=1, posts=m)
    ten = build_archive(data / f"memory_{m}x10.jsonl", scale=10, posts=m)
    out: Dict[str, Any] = {"posts_1x": m, "posts_10x": 10 * m}
    for label, path in (("1x", one), ("10x", ten)):
        out[label] = run_child(path, device, dtype)
        r = out[label]
        if "error" in r:
            say(f"  {label:>3}: {r['error']}")
        else:
            scoring = (f"; while scoring: peak {r['scoring_peak_mb']:.1f} MB, "
                       f"+{r['scoring_peak_mb'] - r['rss_before_scoring_mb']:.1f} MB over the loaded "
                       f"{r['rss_before_scoring_mb']:.1f} MB") if r.get("scoring_peak_mb") else ""
            cuda = f", CUDA max allocated {r['cuda_max_allocated_mb']:.0f} MB" if "cuda_max_allocated_mb" in r else ""
            say(f"  {label:>3}: {r['posts']:>6} posts, {r['posts_per_s']:.2f} posts/s, peak RSS {r['maxrss_mb']:.1f} MB "
                f"(model load {r['load_peak_mb']:.1f} MB){scoring}{cuda}")
            trace = r.get("rss_trace") or []
            step = max(1, len(trace) // 10)
            if trace:
                say("       RSS MB after N posts (s): " + ", ".join(
                    f"{int(n)}: {mb:.0f} ({t:.0f})" for n, mb, t in trace[step - 1::step]))
    if "maxrss_mb" in out["1x"] and "maxrss_mb" in out["10x"]:
        out["ratio_10x_1x"] = out["10x"]["maxrss_mb"] / out["1x"]["maxrss_mb"]
        out["flat_within_10pct"] = out["ratio_10x_1x"] <= 1.10
        if out["1x"].get("scoring_peak_mb") and out["10x"].get("scoring_peak_mb"):
            out["scoring_ratio_10x_1x"] = out["10x"]["scoring_peak_mb"] / out["1x"]["scoring_peak_mb"]
    return out


# --- report ------------------------------------------------------------------------------------------------------

def pct(x: float) -> str:
    return f"{100 * x:.1f}%" if x < 10 else f"{x:.0f}x"


def summary_lines(res: Dict[str, Any]) -> List[str]:
    roof, full, base, tag, mem = (res.get(k) for k in ("roofline", "pipeline", "baseline", "tagging", "memory"))
    rows: List[List[str]] = []
    if full:
        rows.append(["pipeline posts/s", f"{full['posts_per_s']:.2f}", ""])
        rows.append(["pipeline post tokens/s (100% read)", f"{full['post_tokens_per_s']:,.0f}", ""])
    if full and base:
        rows.append(["baseline posts/s", f"{base['posts_per_s']:.2f}",
                     f"pipeline/baseline {full['posts_per_s'] / base['posts_per_s']:.2f}x"])
        rows.append(["baseline tokens read/s", f"{base['tokens_per_s']:,.0f}",
                     f"pipeline/baseline {full['post_tokens_per_s'] / base['tokens_per_s']:.2f}x"])
        rows.append(["share of text read", f"100% vs {pct(base['share_of_text_read'])}",
                     f"baseline truncates {base['posts_truncated']} posts"])
    if full:
        rows.append(["model tokens / post tokens", f"{full['model_tokens_per_post_token']:.2f}",
                     f"padding +{pct(full['padding_overhead'])}"])
        for label, key in (("model GFLOP/s (time in model)", "in_model"), ("model GFLOP/s (wall)", "wall")):
            gflops = full[f"gflops_{key}"]
            fr = full[f"fraction_of_peak_{key}"]
            rows.append([label, f"{gflops:.1f}", ", ".join(f"{pct(v)} of {k}" for k, v in fr.items())])
        fastest = roof["fastest"]
        bound = roof["peak"][fastest] * 1e9 / FLOPS_PER_TOKEN
        rows.append([f"roofline bound ({fastest})", f"{bound:,.0f} model tok/s",
                     f"= {bound / full['model_tokens_per_post_token']:,.0f} post tok/s; pipeline at "
                     f"{pct(full['post_tokens_per_s'] * full['model_tokens_per_post_token'] / bound)}"])
    for key in [k for k in res if k.startswith("pipeline_")]:
        other = res[key]
        note = f"pipeline/baseline {other['post_tokens_per_s'] / base['tokens_per_s']:.2f}x" if base else ""
        rows.append([f"pipeline {other['dtype']} post tokens/s", f"{other['post_tokens_per_s']:,.0f}",
                     note + f"; model {other['gflops_in_model']:.1f} GFLOP/s"])
    if roof:
        rows.append(["GEMM peaks GFLOP/s", ", ".join(f"{k} {v:.1f}" for k, v in roof["peak"].items()), ""])
    if tag:
        rows.append(["tagging words/s", f"{tag['words_per_s']:,.0f}",
                     f"{tag['posts_per_s']:.1f} posts/s"])
    if mem and "ratio_10x_1x" in mem:
        rows.append(["peak RSS 1x / 10x (MB)", f"{mem['1x']['maxrss_mb']:.0f} / {mem['10x']['maxrss_mb']:.0f}",
                     f"10x/1x = {mem['ratio_10x_1x']:.3f} ({'flat' if mem['flat_within_10pct'] else 'NOT flat'})"])
        if "scoring_ratio_10x_1x" in mem:
            rows.append(["peak RSS while scoring 1x / 10x",
                         f"{mem['1x']['scoring_peak_mb']:.0f} / {mem['10x']['scoring_peak_mb']:.0f}",
                         f"10x/1x = {mem['scoring_ratio_10x_1x']:.3f} (model-load peak excluded)"])
    width = max(len(r[0]) for r in rows) + 2
    vwidth = max(len(r[1]) for r in rows) + 2
    return [f"{r[0]:<{width}}{r[1]:<{vwidth}}{r[2]}".rstrip() for r in rows]


def report_full(full: Dict[str, Any]) -> Dict[str, Any]:
    """Print the full-pipeline figures of one dtype."""
    t = full["time"]
    say(f"  dtype {full['dtype']}: {full['posts']} posts in {full['seconds']:.1f} s: {full['posts_per_s']:.2f} posts/s, "
        f"{full['post_tokens_per_s']:,.0f} post tokens/s (all {full['post_tokens']:,} read)")
    say(f"  model tokens {full['model_tokens']:,} = {full['model_tokens_per_post_token']:.2f}x post tokens "
        f"(windows, plus sentences read alone if the model has no sentence head); padded {full['padded_tokens']:,} "
        f"(+{pct(full['padding_overhead'])}); {full['model_tokens_per_s_in_model']:,.0f} model tokens/s inside the model")
    say(f"  time: model {t['model_s']:.1f} s, HF tokenize {t['hf_tokenize_s']:.1f} s, windowing/aggregation "
        f"{t['windowing_aggregation_s']:.1f} s, spaCy tagging + rest {t['spacy_tagging_and_rest_s']:.1f} s")
    say(f"  achieved {full['gflops_in_model']:.1f} GFLOP/s in the model, {full['gflops_wall']:.1f} GFLOP/s over wall "
        "time (fractions of the peaks in the summary)")
    return full


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, default=DEFAULT_OUT, help="JSONL archive (built if missing).")
    parser.add_argument("--posts", type=int, default=None, help="Use only the first N posts (quick runs).")
    parser.add_argument("--device", default="cpu", help="cpu | cuda | cuda:N")
    parser.add_argument("--dtype", default="auto", choices=("auto", "fp32", "bf16", "int8"))
    parser.add_argument("--compare-dtype", action="append", default=[], choices=("fp32", "bf16", "int8"),
                        help="Also run the full pipeline with this dtype (repeatable), e.g. int8.")
    parser.add_argument("--memory-posts", type=int, default=150, help="M for the M vs 10×M memory run (0: skip).")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="Default: bench/results/pipeline_<device>.json")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    if args.child is not None:
        child_main(args.child, args.device, args.dtype)
        return
    import torch

    if args.device.startswith("cuda") and not torch.cuda.is_available():
        say(f"--device {args.device}: no CUDA device available here (torch {torch.__version__}); "
            "nothing measured. Run with --device cpu, or on a GPU machine.")
        return
    command = " ".join(shlex.quote(a) for a in [sys.executable, *sys.argv])
    results: Dict[str, Any] = {"command": command, "machine": machine_info(args.device)}
    m = results["machine"]
    say(f"command: {command}")
    say(f"machine: {m['cpu']}, {m['usable_cores']} usable cores, torch {m['torch']} ({m['cpu_capability']}), "
        f"{m['torch_threads']} torch threads, transformers {m['transformers']}, spaCy {m['spacy']}"
        + (f", GPU {m['gpu']}" if "gpu" in m else "") + f"; load average {m['loadavg_start'][0]:.2f}")

    if not args.archive.exists():
        build_archive(args.archive)
    posts = list(read_archive(args.archive))[: args.posts]
    texts = [p["text"] for p in posts]
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(MODEL_DIR), local_files_only=True)
    post_tokens = [len(ids) for ids in tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]]
    words = [len(t.split()) for t in texts]
    stats = describe(args.archive) if args.posts is None else {}
    results["archive"] = {"path": str(args.archive), "posts": len(texts),
                          "mb": sum(len(t.encode("utf-8")) for t in texts) / 1e6, "words": sum(words),
                          "post_tokens": sum(post_tokens), "words_max": max(words),
                          "posts_over_512_tokens": sum(n > 510 for n in post_tokens), **{f"full_{k}": v for k, v in stats.items()}}
    a = results["archive"]
    say(f"archive: {a['posts']} posts, {a['mb']:.2f} MB, {a['words']:,} words, {a['post_tokens']:,} model tokens, "
        f"longest {a['words_max']:,} words, {a['posts_over_512_tokens']} posts over 512 tokens")

    say("\n[1] roofline: torch GEMM on MiniLM shapes (m rows x k @ k x n), best of 5")
    results["roofline"] = roof = roofline(args.device)

    say("\n[2] tagging only: hypedetect.build_pipeline(), nlp.pipe(batch_size=64)")
    results["tagging"] = tag = bench_tagging(texts)
    say(f"  {tag['words']:,} words in {tag['seconds']:.1f} s: {tag['words_per_s']:,.0f} words/s, "
        f"{tag['posts_per_s']:.1f} posts/s, {tag['spans']:,} spans")

    say(f"\n[3] full pipeline: hypedetect.load(dtype={args.dtype!r}, device={args.device!r}), "
        "list(nlp.pipe(texts, batch_size=64)), whole posts")
    results["pipeline"] = full = bench_full(texts, post_tokens, args.device, args.dtype)
    report_full(full)
    for extra in args.compare_dtype:
        say(f"\n[3b] the same with dtype={extra!r}")
        results[f"pipeline_{extra}"] = report_full(bench_full(texts, post_tokens, args.device, extra))

    if args.skip_baseline:
        say("\n[4] naive baseline: skipped (--skip-baseline)")
    else:
        say("\n[4] naive baseline: transformers.pipeline('text-classification'), batch_size=1, fp32, truncation=True")
        results["baseline"] = base = bench_baseline(texts, post_tokens, args.device)
        say(f"  {base['posts']} posts in {base['seconds']:.1f} s: {base['posts_per_s']:.2f} posts/s, "
            f"{base['tokens_per_s']:,.0f} tokens read/s, read {pct(base['share_of_text_read'])} of the text "
            f"({base['posts_truncated']} posts truncated), {base['gflops_wall']:.1f} GFLOP/s")

    if args.memory_posts > 0:
        say(f"\n[5] memory: fresh child processes stream {args.memory_posts} and {10 * args.memory_posts} posts "
            "through the full pipeline into JSONL records")
        results["memory"] = bench_memory(args.memory_posts, args.device, args.dtype)
    else:
        say("\n[5] memory: skipped (--memory-posts 0)")

    # Other work on a shared machine depresses single measurements: measure the roofline again and keep the best.
    say("\n[6] roofline again (peaks below are the best of both)")
    again = roofline(args.device)
    results["roofline_start"], results["roofline_end"] = roof, again
    results["roofline"] = roof = merge_roofline(roof, again)
    for run in [full] + [results[f"pipeline_{extra}"] for extra in args.compare_dtype]:
        run["fraction_of_peak_in_model"] = fractions(run["gflops_in_model"], roof)
        run["fraction_of_peak_wall"] = fractions(run["gflops_wall"], roof)
    results["machine"]["loadavg_end"] = os.getloadavg()
    say(f"\n== summary ({args.device}, pipeline dtype {full['dtype']}, {m['torch_threads']} torch threads, "
        f"{len(texts)} posts; load average {m['loadavg_start'][0]:.2f} at start, "
        f"{results['machine']['loadavg_end'][0]:.2f} at end) ==")
    for line in summary_lines(results):
        say("  " + line)
    path = args.json or ROOT / "bench" / "results" / f"pipeline_{args.device.replace(':', '')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, default=float) + "\n", encoding="utf-8")
    say(f"\nwrote {path}")


if __name__ == "__main__":
    main()

"""Model architectures the llama.cpp inside llama-cpp-python 0.3.36 knows (``LLM_ARCH_NAMES`` in its vendored
``src/llama-arch.cpp``). llama-cpp-python is pinned, so the list is too; ``tests/engine/test_discovery.py`` checks
it against the vendored sources whenever those are at hand (bench/out/ keeps the sdist after a benchmark run).
Regenerate with ``python -m studio.engine.archs path/to/llama-arch.cpp``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LLAMA_CPP_PYTHON_VERSION = "0.3.36"

KNOWN_ARCHITECTURES: frozenset[str] = frozenset({
    "clip", "llama", "llama4", "deci", "falcon", "grok", "gpt2", "gptj", "gptneox", "mpt", "baichuan",
    "starcoder", "refact", "bert", "modern-bert", "nomic-bert", "nomic-bert-moe", "neo-bert", "jina-bert-v2",
    "jina-bert-v3", "eurobert", "bloom", "stablelm", "qwen", "qwen2", "qwen2moe", "qwen2vl", "qwen3",
    "qwen3moe", "qwen3next", "qwen3vl", "qwen3vlmoe", "qwen35", "qwen35moe", "qwen4exp", "phi2", "phi3",
    "phimoe", "plamo", "plamo2", "plamo3", "codeshell", "orion", "internlm2", "minicpm", "minicpm3", "gemma",
    "gemma2", "gemma3", "gemma3n", "gemma4", "gemma4-assistant", "gemma-embedding", "starcoder2", "mamba",
    "mamba2", "maple", "jamba", "falcon-h1", "xverse", "command-r", "cohere2", "cohere2moe", "dbrx", "olmo",
    "olmo2", "olmoe", "muse-glimmer", "openelm", "arctic", "deepseek", "deepseek2", "deepseek2-ocr",
    "deepseek32", "deepseek4", "chatglm", "glm4", "glm4moe", "glm-dsa", "bitnet", "t5", "t5encoder", "jais",
    "jais2", "nemotron", "nemotron_h", "nemotron_h_moe", "exaone", "exaone4", "exaone-moe", "rwkv6",
    "rwkv6qwen2", "rwkv7", "arwkv7", "granite", "granitemoe", "granitehybrid", "graniteswitch", "granite_swa",
    "chameleon", "wavtokenizer-dec", "plm", "bailingmoe", "bailingmoe2", "bailingmoe3", "dots1", "dots3note",
    "arcee", "afmoe", "laguna", "ernie4_5", "ernie4_5-moe", "hunyuan-moe", "hunyuan-dense", "hunyuan_vl",
    "hy_v3", "hy_v4", "smollm3", "gpt-oss", "lfm2", "lfm2moe", "dream", "smallthinker", "llada", "llada-moe",
    "seed_oss", "grovemoe", "apertus", "minimax-01", "hrm_text", "minimax-m2", "minimax-m3", "cogvlm", "rnd1",
    "pangu-embedded", "mistral3", "eagle3", "dflash", "mistral4", "paddleocr", "mimo2", "step35", "spark2_5",
    "llama-embed", "maincoder", "kimi-linear", "kimi-k3", "glm5-next", "talkie", "mellum", "nanbeige",
    "qwen3tts", "pockettts"
})

# Known to llama.cpp but no use for writing through llama-cpp-python's decode loop: encoders/embedders, a
# quantizer-only stub, an encoder-decoder (needs llama_encode), diffusion LMs (not left-to-right), speech codecs
# and speculative-decoding drafts. They load, then produce nothing sensible or fail part way.
NOT_TEXT_GENERATORS: frozenset[str] = frozenset({
    "clip", "bert", "modern-bert", "nomic-bert", "nomic-bert-moe", "neo-bert", "jina-bert-v2", "jina-bert-v3",
    "eurobert", "t5", "t5encoder", "gemma-embedding", "llama-embed", "wavtokenizer-dec", "eagle3", "dflash",
    "qwen3tts", "pockettts", "dream", "llada", "llada-moe",
})

_NAMES = re.compile(r"LLM_ARCH_NAMES\s*=\s*\{(.*?)\n\};", re.S)
_ENTRY = re.compile(r'\{\s*LLM_ARCH_\w+\s*,\s*"([^"]+)"\s*\}')


def parse_llama_arch_cpp(text: str) -> frozenset[str]:
    """The architecture names declared in a llama.cpp ``src/llama-arch.cpp``."""
    m = _NAMES.search(text)
    if m is None:
        return frozenset()
    return frozenset(n for n in _ENTRY.findall(m.group(1)) if n != "(unknown)")


if __name__ == "__main__":  # pragma: no cover - maintenance helper
    names = sorted(parse_llama_arch_cpp(Path(sys.argv[1]).read_text(encoding="utf-8")))
    print(f"{len(names)} architectures; missing here: {sorted(set(names) - KNOWN_ARCHITECTURES)}, "
          f"stale here: {sorted(KNOWN_ARCHITECTURES - set(names))}")

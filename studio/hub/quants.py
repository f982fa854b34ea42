"""Which quantization a GGUF file name says it holds, and which one to take when several fit.

The preference is the usual one for writing on a CPU: Q4_K_M first (the common balance of size and quality),
then the nearby K-quants, then the bigger ones (better, slower), then the smaller ones (worse) last; the legacy
and ARM-only repacks (Q4_0_4_4 and friends) only when nothing else is there.
"""

from __future__ import annotations

import re

_QUANT = re.compile(
    r"(?<![A-Za-z0-9])(I?Q[1-8](?:_[0-9])*(?:_K)?(?:_[XSML]{1,3})?|F16|BF16|F32)(?![A-Za-z0-9])", re.IGNORECASE
)

_PREFERENCE = ("Q4_K_M", "Q5_K_M", "Q4_K_S", "Q4_K_L", "IQ4_XS", "Q5_K_S", "Q5_K_L", "Q6_K", "Q6_K_L", "IQ4_NL",
               "Q4_0", "Q4_1", "Q8_0", "Q3_K_L", "Q3_K_XL", "Q3_K_M", "IQ3_M", "Q3_K_S", "IQ3_XS", "Q2_K_L", "Q2_K",
               "IQ2_M", "F16", "BF16")


def quant_of(filename: str) -> str:
    """The quant named in ``filename`` in its usual spelling (``Q4_K_M``), or "" when it names none."""
    stem = filename.rsplit("/", 1)[-1].removesuffix(".gguf")
    found = _QUANT.findall(stem.replace(".", "-"))
    return found[-1].upper() if found else ""


def recommended_order(quant: str) -> int:
    """Lower is better; a quant not in the list comes after every listed one."""
    try:
        return _PREFERENCE.index(quant.upper())
    except ValueError:
        return len(_PREFERENCE)


def is_split_part(filename: str) -> bool:
    """A file of a model split in parts (``-00001-of-00003.gguf``): Studio downloads whole files only."""
    return re.search(r"-\d{5}-of-\d{5}\.gguf$", filename) is not None


def is_projector(filename: str) -> bool:
    """A vision projector (``mmproj-*.gguf``) is not a model that writes."""
    return "mmproj" in filename.rsplit("/", 1)[-1].lower()

"""GGUFs whose chat template makes the model think first, written from the small chat model (SmolLM2-135M-Instruct,
tests/engine/conftest.chat_model_path) with the gguf package: the same weights and vocabulary, another template.

* ``QWEN3_LIKE``: Qwen3's switch. With ``enable_thinking`` false the generation prompt holds an empty, closed think
  block; otherwise it opens one ("<think>\\n"), so a renderer that forgets the switch leaves the prompt inside a
  think block.
* ``ALWAYS_OPEN``: DeepSeek-R1 distills: the generation prompt always opens the block, no switch.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

_TURNS = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor %}"
)
QWEN3_LIKE = (
    _TURNS + "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}"
    "{%- if enable_thinking is defined and enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}"
    "{%- else %}{{- '<think>\\n' }}{%- endif %}{%- endif %}"
)
ALWAYS_OPEN = _TURNS + "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n<think>\\n' }}{%- endif %}"


def with_chat_template(source: Path, target: Path, template: str) -> Path:
    """``source`` copied to ``target`` with ``template`` as its ``tokenizer.chat_template`` (kept when present)."""
    return copy_gguf(source, target, drop=("tokenizer.chat_template",),
                     extra=lambda writer: writer.add_chat_template(template))


def copy_gguf(source: Path, target: Path, *, drop: tuple[str, ...] = (),
              change: Callable[[str, Any], Any] | None = None, extra: Callable[[Any], None] | None = None) -> Path:
    """``source`` copied to ``target`` (once; again when the source is newer): the same tensors, its metadata without
    the keys in ``drop``, each value passed through ``change(key, value)``, then what ``extra(writer)`` adds."""
    if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    import gguf

    reader = gguf.GGUFReader(str(source))
    arch = reader.get_field(gguf.Keys.General.ARCHITECTURE)
    assert arch is not None
    part = target.with_suffix(".part")
    writer = gguf.GGUFWriter(str(part), str(arch.contents()), endianess=reader.endianess)
    for field in reader.fields.values():
        if field.name == gguf.Keys.General.ARCHITECTURE or field.name.startswith("GGUF."):
            continue  # written by GGUFWriter itself
        if field.name in drop:
            continue
        kind = field.types[0]
        sub = field.types[-1] if kind == gguf.GGUFValueType.ARRAY else None
        value = field.contents()
        writer.add_key_value(field.name, change(field.name, value) if change else value, kind, sub_type=sub)
    if extra is not None:
        extra(writer)
    for tensor in reader.tensors:
        writer.add_tensor_info(tensor.name, tensor.data.shape, tensor.data.dtype, tensor.data.nbytes,
                               tensor.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for tensor in reader.tensors:
        writer.write_tensor_data(tensor.data, tensor_endianess=reader.endianess)
    writer.close()
    part.replace(target)
    return target

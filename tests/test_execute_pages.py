"""scripts/execute_pages.py: it finds every page of the book and reports, not hides, a failure."""

import importlib.util
from pathlib import Path

from conftest import ROOT, toc_docnames

spec = importlib.util.spec_from_file_location(
    "execute_pages", ROOT / "scripts" / "execute_pages.py"
)
execute_pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(execute_pages)

PAGE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A page

```{{code-cell}} ipython3
{code}
```
"""


def test_every_page_of_the_table_of_contents_is_found():
    pages = execute_pages.toc_pages()
    assert [str(p.relative_to(ROOT).with_suffix("")) for p in pages] == toc_docnames()
    assert all(p.exists() for p in pages)
    with_code = [p.stem for p in pages if execute_pages.has_code(p)]
    assert "backprop" in with_code and "ledger" in with_code and "index" not in with_code


def test_a_passing_page_runs_and_a_failing_one_is_reported(tmp_path: Path):
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(PAGE.format(code="x = 6 * 7\nassert x == 42"))
    bad.write_text(PAGE.format(code="assert 1 + 1 == 3, 'arithmetic is broken'"))
    _, notebook, seconds, error = execute_pages.execute(good)
    assert error is None and seconds > 0
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].source.startswith("x = 6 * 7") and code[0].outputs == []
    _, _, _, error = execute_pages.execute(bad)
    assert error is not None and "AssertionError" in error

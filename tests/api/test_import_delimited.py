"""CSV/TSV errors name the real problem and the line it starts on (issue 15)."""

import io

import pytest

from labelloom.core.errors import ValidationFailed
from labelloom.core.imports.parsers import from_file


def parse(name, content):
    return [(item.where, item.value) for item in from_file(name, io.BytesIO(content))]


def error(name, content):
    with pytest.raises(ValidationFailed) as caught:
        parse(name, content)
    return str(caught.value)


@pytest.mark.parametrize(("name", "content", "message"), [
    # The issue: an unclosed quote on line 2 was "line 3 has 1 columns, the header has 2".
    ("a.csv", b'text,other\n"abc,1\nfoo,2\n', "a.csv line 2: a quoted field is never closed"),
    ("a.csv", b'text,other\nok,1\n"abc,1', "a.csv line 3: a quoted field is never closed"),
    ("a.tsv", b'text\tother\nok\t1\n"open\t1\nnext\t2\n', "a.tsv line 3: a quoted field is never closed"),
    ("a.csv", b'"text,other\nx,1\n', "a.csv line 1: a quoted field is never closed"),
    ("a.csv", b"text,other\nonly one\n", "a.csv line 2: has 1 column, the header has 2 columns"),
    ("a.csv", b"text\nx,y,z\n", "a.csv line 2: has 3 columns, the header has 1 column"),
    ("a.tsv", b"a\tb\tc\nx\ty\n", "a.tsv line 2: has 2 columns, the header has 3 columns"),
    # A quote that closes lines later: the record's first line, and a hint.
    ("a.csv", b'text,other\nok,1\n"runs on,2\nand on\nto here",3,4\n',
     "a.csv line 3: has 3 columns, the header has 2 columns (a quoted field runs from line 3 to line 5: is a quote missing?)"),
    ("a.csv", b"text,other\nok,1\nx,2\n\xff,3\n", "a.csv line 4: is not UTF-8 text"),
    ("a.txt", b"one\n\xfe\n", "a.txt line 2: is not UTF-8 text"),
])
def test_errors_name_problem_and_line(name, content, message):
    assert error(name, content) == message


def test_valid_quoting_still_parses():
    rows = parse("a.csv", b'text,n\n"multi\nline",1\n"say ""hi""",2\nplain "quote" inside,3\n\n"last",4')
    assert rows == [
        ("a.csv line 2", {"text": "multi\nline", "n": 1}),
        ("a.csv line 4", {"text": 'say "hi"', "n": 2}),
        ("a.csv line 5", {"text": 'plain "quote" inside', "n": 3}),
        ("a.csv line 7", {"text": "last", "n": 4}),
    ]
    assert parse("a.tsv", b'k\tv\n"a\tb"\t1\n') == [("a.tsv line 2", {"k": "a\tb", "v": 1})]


async def test_the_api_names_the_line_and_imports_nothing(client, admin, project):
    pid = project["id"]
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers,
                          files={"file": ("broken.csv", io.BytesIO(b'text,other\n"abc,1\nfoo,2\n'))})
    assert r.status_code == 400
    assert r.json()["detail"] == "broken.csv line 2: a quoted field is never closed"
    assert (await client.get(f"/api/projects/{pid}/", headers=admin.headers)).json()["task_number"] == 0

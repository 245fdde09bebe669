"""CSV and TSV writers on their own (no database): the bytes they write for awkward tasks, pinned;
the same bytes as Label Studio's converter over many tasks and several batches; and memory
that stays flat however many rows are written."""

import asyncio
import copy
import csv
import io
import json
import tracemalloc
from decimal import Decimal

import msgspec
import pytest
from label_studio_sdk.converter import Converter

from labelloom.core.export.context import ExportContext
from labelloom.core.export.options import easy_export_options
from labelloom.core.labelconfig.parse import parse_config
from labelloom.core.manager import build_plugin_host
from labelloom.plugins.controls.exporters import csv_cell, csv_writer

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
  <Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Négatif"/></Choices>
  <Choices name="topics" toName="text" choice="multiple"><Choice value="a"/><Choice value="b"/></Choices>
  <Rating name="stars" toName="text" maxRating="5"/>
  <TextArea name="summary" toName="text"/>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels>
</View>
"""


def annotation(id, result, *, by=1, created="2024-01-01T10:00:00Z", lead_time=1.5, **extra):
    return {"id": id, "result": result, "completed_by": by, "was_cancelled": False, "lead_time": lead_time,
            "created_at": created, "updated_at": created, **extra}


def result(from_name, value, **extra):
    return {"id": f"{from_name}-{len(str(value))}", "from_name": from_name, "to_name": "text", "type": "x",
            "value": value, **extra}


NER = [result("ner", {"start": 0, "end": 4, "text": "Anna", "labels": ["PER"]}),
       result("ner", {"start": 14, "end": 19, "text": "Paris/Île", "labels": ["LOC"]})]

# Two batches of tasks covering the flat layout's corners.
AWKWARD = [[
    # two annotations (newest first), one by an expanded user; unicode, quotes, separators, nested data
    {"id": 1, "data": {"text": 'Anna lives in Paris, "café" — ünïcødé\tand\nlines',
                       "meta_info": {"source": "wiki/x", "n": [1, 2.5, None, True]}, "score": 3, "ratio": 0.1,
                       "flag": True, "none": None, "empty": "", "nothing": {}, "naïve": []},
     "annotations": [
         annotation(11, [*NER, result("sentiment", {"choices": ["Positive"]}), result("stars", {"rating": 4})],
                    by=7, lead_time=12.25),
         annotation(12, [result("summary", {"text": ["one", 'two "2"']}),
                         result("topics", {"choices": ["a", "b"]}),       # two choices stay a list
                         result("sentiment", {"choices": ["Négatif"], "type": "dropped"}),
                         result("gone", {"choices": ["x"]}),              # a control the config lost
                         {"from_name": "stars", "to_name": "text", "value": 5}],  # a value that is no dict
                    by={"id": 3, "email": "ann@example.com", "first_name": "Ann"},
                    created="2024-02-01T10:00:00.123456Z", lead_time=None),
     ]},
    # no annotation: one row without outputs; a key no other task has
    {"id": 2, "data": {"text": "Nothing here", "extra_key": "only here", "list": ["a", {"b": "ü/"}]}, "annotations": []},
], [
    # only skipped annotations: no row
    {"id": 3, "data": {"text": "Skipped"},
     "annotations": [annotation(31, [], was_cancelled=True), annotation(32, NER, skipped=True)]},
    # an empty result; a user dict without an email; one text collapses to a string
    {"id": 4, "data": {"text": "Empty"}, "annotations": [
        annotation(41, [], by={"id": 9}, lead_time=0),
        annotation(42, [result("summary", {"text": ["single"]})], created="2023-01-01T00:00:00Z")]},
    # data keys named like the row's own columns; no annotator
    {"id": 5, "data": {"id": "data-id", "text": "x", "annotator": "data-annotator", "lead_time": "slow"},
     "annotations": [annotation(51, [result("topics", {"choices": ["b"]})], by=None)]},
    # an image region with its size; awkward numbers
    {"id": 6, "data": {"image": "/data/upload/1/a.png", "numbers": [1e-7, 1e20, 12345678901234567890, -0.0, 1.0, -3]},
     "annotations": [annotation(61, [result("box", {"x": 10.5, "y": 1e-7, "width": 33.333333333333336, "height": 50,
                                                    "rotation": 0, "rectanglelabels": ["Car"]},
                                            original_width=640, original_height=480, image_rotation=0)],
                                lead_time=1e20)]},
]]

# What the writers wrote for AWKWARD before they were made faster (Label Studio's layout).
EXPECTED_CSV = "".join([
    '"annotation_id","annotator","box","created_at","empty","extra_key","flag","id","image","lead_time"'
    ',"list","meta_info","naïve","ner","none","nothing","numbers","ratio","score","sentiment","stars"'
    ',"summary","text","topics","updated_at"\r\n',
    '12,"ann@example.com","","2024-02-01T10:00:00.123456Z","","",True,1,"","",""'
    ',"{""source"":""wiki\\/x"",""n"":[1,2.5,null,true]}","[]","","","{}","",0.1,3,"Négatif",""'
    ',"{""text"":[""one"",""two \\""2\\""""]}","Anna lives in Paris, ""café"" — ünïcødé\tand\nlines"'
    ',"{""choices"":[""a"",""b""]}","2024-02-01T10:00:00.123456Z"\r\n',
    '11,"7","","2024-01-01T10:00:00Z","","",True,1,"",12.25,"","{""source"":""wiki\\/x"",""n"":[1,2.5'
    ',null,true]}","[]","[{""start"":0,""end"":4,""text"":""Anna"",""labels"":[""PER""]},{""start"":14'
    ',""end"":19,""text"":""Paris\\/Île"",""labels"":[""LOC""]}]","","{}","",0.1,3,"Positive"'
    ',"[{""rating"":4}]","","Anna lives in Paris, ""café"" — ünïcødé\tand\nlines",""'
    ',"2024-01-01T10:00:00Z"\r\n',
    '"","","","","","only here","",2,"","","[""a"",{""b"":""ü\\/""}]","","","","","","","","","","",""'
    ',"Nothing here","",""\r\n',
    '41,"","","2024-01-01T10:00:00Z","","","",4,"",0,"","","","","","","","","","","","","Empty",""'
    ',"2024-01-01T10:00:00Z"\r\n',
    '42,"1","","2023-01-01T00:00:00Z","","","",4,"",1.5,"","","","","","","","","","","","single"'
    ',"Empty","","2023-01-01T00:00:00Z"\r\n',
    '51,"None","","2024-01-01T10:00:00Z","","","","data-id","",1.5,"","","","","","","","","","","",""'
    ',"x","b","2024-01-01T10:00:00Z"\r\n',
    '61,"1","[{""x"":10.5,""y"":1e-7,""width"":33.333333333333336,""height"":50,""rotation"":0'
    ',""rectanglelabels"":[""Car""],""original_width"":640,""original_height"":480}]"'
    ',"2024-01-01T10:00:00Z","","","",6,"/data/upload/1/a.png",1e+20,"","","","","","","[1e-7,1e20'
    ',12345678901234567890,-0.0,1.0,-3]","","","","","","","","2024-01-01T10:00:00Z"\r\n',
])
EXPECTED_TSV = "".join([
    '"annotation_id"\t"annotator"\t"box"\t"created_at"\t"empty"\t"extra_key"\t"flag"\t"id"\t"image"'
    '\t"lead_time"\t"list"\t"meta_info"\t"naïve"\t"ner"\t"none"\t"nothing"\t"numbers"\t"ratio"\t"score"'
    '\t"sentiment"\t"stars"\t"summary"\t"text"\t"topics"\t"updated_at"\r\n',
    '12\t"ann@example.com"\t""\t"2024-02-01T10:00:00.123456Z"\t""\t""\tTrue\t1\t""\t""\t""'
    '\t"{""source"":""wiki\\/x"",""n"":[1,2.5,null,true]}"\t"[]"\t""\t""\t"{}"\t""\t0.1\t3\t"Négatif"'
    '\t""\t"{""text"":[""one"",""two \\""2\\""""]}"\t"Anna lives in Paris, ""café"" — ünïcødé'
    '\tand\nlines"\t"{""choices"":[""a"",""b""]}"\t"2024-02-01T10:00:00.123456Z"\r\n',
    '11\t"7"\t""\t"2024-01-01T10:00:00Z"\t""\t""\tTrue\t1\t""\t12.25\t""'
    '\t"{""source"":""wiki\\/x"",""n"":[1,2.5,null,true]}"\t"[]"'
    '\t"[{""start"":0,""end"":4,""text"":""Anna"",""labels"":[""PER""]},{""start"":14,""end"":19,""text"":""Paris\\/Île"",""labels"":[""LOC""]}]"'
    '\t""\t"{}"\t""\t0.1\t3\t"Positive"\t"[{""rating"":4}]"\t""'
    '\t"Anna lives in Paris, ""café"" — ünïcødé\tand\nlines"\t""\t"2024-01-01T10:00:00Z"\r\n',
    '""\t""\t""\t""\t""\t"only here"\t""\t2\t""\t""\t"[""a"",{""b"":""ü\\/""}]"\t""\t""\t""\t""\t""\t""'
    '\t""\t""\t""\t""\t""\t"Nothing here"\t""\t""\r\n',
    '41\t""\t""\t"2024-01-01T10:00:00Z"\t""\t""\t""\t4\t""\t0\t""\t""\t""\t""\t""\t""\t""\t""\t""\t""'
    '\t""\t""\t"Empty"\t""\t"2024-01-01T10:00:00Z"\r\n',
    '42\t"1"\t""\t"2023-01-01T00:00:00Z"\t""\t""\t""\t4\t""\t1.5\t""\t""\t""\t""\t""\t""\t""\t""\t""'
    '\t""\t""\t"single"\t"Empty"\t""\t"2023-01-01T00:00:00Z"\r\n',
    '51\t"None"\t""\t"2024-01-01T10:00:00Z"\t""\t""\t""\t"data-id"\t""\t1.5\t""\t""\t""\t""\t""\t""\t""'
    '\t""\t""\t""\t""\t""\t"x"\t"b"\t"2024-01-01T10:00:00Z"\r\n',
    '61\t"1"'
    '\t"[{""x"":10.5,""y"":1e-7,""width"":33.333333333333336,""height"":50,""rotation"":0,""rectanglelabels"":[""Car""],""original_width"":640,""original_height"":480}]"'
    '\t"2024-01-01T10:00:00Z"\t""\t""\t""\t6\t"/data/upload/1/a.png"\t1e+20\t""\t""\t""\t""\t""\t""'
    '\t"[1e-7,1e20,12345678901234567890,-0.0,1.0,-3]"\t""\t""\t""\t""\t""\t""\t""'
    '\t"2024-01-01T10:00:00Z"\r\n',
])


@pytest.fixture(scope="module")
def config():
    return parse_config(CONFIG, build_plugin_host().register_all())


def batch_source(batches, *, raw: bool):
    """A context's source over these batches (fresh copies per pass). ``raw``: with ``raw_json``
    the JSON columns come as ``msgspec.Raw`` text, as the database gives them to writers that
    ask; otherwise always decoded, as a snapshot file gives them."""

    async def source(raw_json=False):
        for batch in batches():
            if raw and raw_json:
                batch = [_raw_columns(task) for task in batch]
            yield copy.deepcopy(batch)

    return source


def _raw_columns(task):
    annotations = [{**a, "result": msgspec.Raw(msgspec.json.encode(a["result"]))} for a in task["annotations"]]
    return {**task, "data": msgspec.Raw(msgspec.json.encode(task["data"])), "annotations": annotations}


async def written(config, delimiter, batches, *, raw=True):
    options = easy_export_options(download_all_tasks=True, ids=None)
    context = ExportContext(project_id=1, config=config, options=options, source=batch_source(batches, raw=raw))
    return b"".join([chunk async for chunk in csv_writer(delimiter)(context)])


@pytest.mark.parametrize("raw", [True, False], ids=["raw-json", "decoded"])
@pytest.mark.parametrize("delimiter, expected", [(",", EXPECTED_CSV), ("\t", EXPECTED_TSV)], ids=["CSV", "TSV"])
async def test_awkward_tasks_give_the_pinned_bytes(config, delimiter, expected, raw):
    assert (await written(config, delimiter, lambda: AWKWARD, raw=raw)).decode() == expected


def generated(count, *, late_key_at=None):
    """``count`` tasks in batches of 1000: unannotated tasks, several annotations, skipped ones,
    controls left out, and optionally a data key that only one late task has (its column sorts
    between the others, after thousands of rows were written without it)."""

    def task(i):
        data = {"text": f"task {i}, \"quoted\" — {i * 7 % 13}", "n": i, "score": i / 8}
        if i == late_key_at:
            data["middle"] = {"late": True}
        if i % 7 == 0:
            return {"id": i, "data": data, "annotations": []}
        results = [result("sentiment", {"choices": ["Positive" if i % 2 else "Négatif"]})]
        if i % 3:
            results.append(result("ner", {"start": 0, "end": 4, "text": "task", "labels": ["PER"]}))
        if i % 5 == 0:
            results.append(result("summary", {"text": [f"line\n{i}"]}))
        annotations = [annotation(i * 10, results, by=i % 4 + 1, lead_time=i / 4,
                                  created=f"2024-01-01T10:{i % 60:02d}:00Z")]
        if i % 11 == 0:
            annotations.append(annotation(i * 10 + 1, results[:1], created="2025-01-01T00:00:00Z", lead_time=None))
        if i % 13 == 0:
            annotations.append(annotation(i * 10 + 2, [], was_cancelled=True))
        return {"id": i, "data": data, "annotations": annotations}

    def batches():
        for first in range(1, count + 1, 1000):
            yield [task(i) for i in range(first, min(count + 1, first + 1000))]

    return batches


@pytest.mark.parametrize("delimiter", [",", "\t"], ids=["CSV", "TSV"])
async def test_many_tasks_give_label_studio_converter_bytes(config, tmp_path, delimiter):
    """Label Studio's converter reads the JSON of the same tasks twice (keys, then rows); our
    writer reads them once: the same bytes, a column first seen in the last batch included."""
    batches = generated(2500, late_key_at=2401)
    source = tmp_path / "tasks.json"
    source.write_text(json.dumps([task for batch in batches() for task in batch]))
    Converter(config=CONFIG, project_dir=None, download_resources=False).convert_to_csv(
        str(source), str(tmp_path), is_dir=False, sep=delimiter)
    ours = await written(config, delimiter, batches)
    assert ours == (tmp_path / "result.csv").read_bytes()
    header = next(csv.reader(io.StringIO(ours.decode()), delimiter=delimiter))
    assert "middle" in header and len(ours.decode().split("\r\n")) > 2500


def _peak_while_writing(config, count):
    async def run():
        tracemalloc.start()
        try:
            options = easy_export_options(download_all_tasks=True, ids=None)
            context = ExportContext(project_id=1, config=config, options=options,
                                    source=batch_source(generated(count), raw=True))
            size = 0
            async for chunk in csv_writer(",")(context):
                size += len(chunk)  # dropped at once, as a socket would take it
            return size, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    return asyncio.run(run())


def test_memory_does_not_grow_with_the_rows(config):
    """Rows wait for the header on disk, not in memory: writing 5 times as many rows (several MB)
    peaks at about the same traced memory (a batch being turned into rows)."""
    small_size, small_peak = _peak_while_writing(config, 3000)
    big_size, big_peak = _peak_while_writing(config, 15000)
    assert big_size > 4.5 * small_size
    assert big_peak < small_peak * 1.25 + 500_000, (small_peak, big_peak)


@pytest.mark.parametrize("delimiter", [",", "\t"], ids=["CSV", "TSV"])
def test_cells_are_written_as_the_csv_module_writes_them(delimiter):
    values = ["plain", 'say "hi"', "a,b\tc", "line\r\nbreak", "nul\x00", "", "ünï", None, 0, -3, 10**20, 1.5, -0.0,
              1e20, 1e-7, float("nan"), True, False, Decimal("2.50"), ("a", 1)]
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, delimiter=delimiter).writerow(values)
    assert delimiter.join(csv_cell(value, delimiter) for value in values) + "\r\n" == buffer.getvalue()

"""Evaluation training and technical assistance: staff-only records per partner,
through the API, the spreadsheet (CSV and the workbook's Records sheet) and the
partner's history; the staff partner view shows the latest of each."""

import csv
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

import models as m
import spreadsheet
from tests.gql import post, query
from tests.test_spreadsheet import problems, run

RECORD = """
mutation R($partner: String!, $input: SupportRecordInput!) {
  recordSupport(partner: $partner, input: $input) {
    record { id kind heldOn topic staff }
    errors { field message }
  }
}"""
VIEW = """query V($slug: String!) { staff { partner(slug: $slug) {
  latestEvaluationTraining { heldOn topic staff }
  latestTechnicalAssistance { heldOn topic }
  supportRecords { kind heldOn }
  history { action entity actor }
} } }"""


async def test_records_through_the_api_and_the_history(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    editor = tokens["editor"]
    for kind, days, topic in [
        ("EVALUATION_TRAINING", 200, "Logic models"),
        ("EVALUATION_TRAINING", 30, "Year-end survey"),
        ("TECHNICAL_ASSISTANCE", 10, "Attendance data upload"),
    ]:
        done = await query(
            client,
            RECORD,
            editor,
            partner="city-arts",
            input={
                "kind": kind,
                "heldOn": (district - timedelta(days=days)).isoformat(),
                "topic": topic,
                "staff": "Ana Lopez",
            },
        )
        assert done["recordSupport"]["errors"] == []
    view = (await query(client, VIEW, tokens["viewer"], slug="city-arts"))["staff"][
        "partner"
    ]
    assert view["latestEvaluationTraining"] == {
        "heldOn": (district - timedelta(days=30)).isoformat(),
        "topic": "Year-end survey",
        "staff": "Ana Lopez",
    }
    assert view["latestTechnicalAssistance"]["topic"] == "Attendance data upload"
    assert [r["heldOn"] for r in view["supportRecords"]] == sorted(
        (r["heldOn"] for r in view["supportRecords"]), reverse=True
    )
    assert [h["action"] for h in view["history"]] == ["support.record"] * 3
    # every field but notes is needed; nothing is written without them
    refused = await query(
        client,
        RECORD,
        editor,
        partner="city-arts",
        input={"kind": "TECHNICAL_ASSISTANCE"},
    )
    fields = sorted(e["field"] for e in refused["recordSupport"]["errors"])
    assert fields == ["input.heldOn", "input.staff", "input.topic"]
    assert await m.SupportRecord.all().count() == 3
    # staff only
    anonymous = await post(client, VIEW, slug="city-arts")
    assert anonymous["data"] == {"staff": None} or "errors" in anonymous


async def test_records_travel_in_the_spreadsheet(
    district: date, tmp_path: Path
) -> None:
    sheet = tmp_path / "records.csv"
    sheet.write_text(
        "partner,kind,held_on,topic,staff,notes\n"
        "city-arts,evaluation_training,9/15/2030,Logic models,Ana Lopez,\n"
        "mentor-match,technical_assistance,2030-10-01,Data upload,Sam Yang,Call\n"
    )
    summary = await run(sheet)
    assert (summary.records.created, summary.records.updated) == (2, 0)
    again = await run(sheet)
    assert (again.records.created, again.records.unchanged) == (0, 2)
    arts = await m.Partner.get(slug="city-arts")
    entry = await m.AuditEntry.get(action="support.import", partner_key=arts.id)
    assert entry.actor == "tester"
    out = tmp_path / "back.csv"
    await spreadsheet.export(out, records=True)
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["partner"], r["held_on"]) for r in rows] == [
        ("city-arts", "2030-09-15"),
        ("mentor-match", "2030-10-01"),
    ]
    book = tmp_path / "all.xlsx"
    await spreadsheet.export(book)
    through = await run(book)
    assert through.records.unchanged == 2 and through.updated == 0
    rows[0]["remove"] = "yes"
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    removed = await run(out)
    assert removed.records.removed == 1
    assert await m.SupportRecord.all().count() == 1


async def test_bad_record_rows_are_pointed_at(district: date, tmp_path: Path) -> None:
    sheet = tmp_path / "records.csv"
    sheet.write_text(
        "partner,kind,held_on,topic,staff\n"
        "nobody,evaluation_training,2030-01-01,Logic models,Ana\n"
        "city-arts,coaching,31/4/2030,,Ana\n"
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(sheet)
    found = problems(error)
    assert found[0].startswith("row 2, column partner: is not a partner on file")
    assert any(
        p.startswith("row 3, column kind: must be evaluation_training") for p in found
    )
    assert any("row 3, column held_on" in p and "day-first" in p for p in found)
    assert any(p.startswith("row 3, column topic: is required") for p in found)
    assert await m.SupportRecord.all().count() == 0

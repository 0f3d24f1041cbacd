"""The ledger download holds only the projects the user sees."""

import io

from openpyxl import load_workbook


def test_it_exports_in_the_ledger_only_the_projects_the_user_sees(client, district):
    client.force_login(district.users["dept"])
    response = client.get("/ledger/export/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    codes = {
        row[0]
        for ws in book.worksheets
        if ws.title != "单位"
        for row in ws.iter_rows(min_row=2, values_only=True)
    }
    assert "ZD-001" in codes
    assert "ZD-002" not in codes

"""One rule for formats: `format=` (or Accept) picks among what an endpoint offers; anything else is refused."""
import io

import pytest
from openpyxl import load_workbook

from app import create_app
from app.web.formats import MIMETYPES
from config import TestConfig
from tests import factories as f

XLSX = MIMETYPES["xlsx"]


def offered_formats():
    """(path, formats) of every operation whose spec declares a `format` query parameter."""
    spec = create_app(TestConfig).test_client().get("/api/openapi.json").json
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []) if method == "get" else []:
                if parameter["name"] == "format":
                    yield path, parameter["schema"]["enum"], operation["responses"]["200"].get("content", {})


def test_every_offered_format_has_its_content_type_in_the_spec():
    found = {path: (formats, content) for path, formats, content in offered_formats()}
    assert {"/api/grids/{grid_id}/coverage", "/api/grids/{grid_id}/returning", "/api/figures/community",
            "/api/figures/grids/{grid_id}", "/api/admin/houses/export", "/api/admin/houses/template",
            "/api/households/{household_id}/letter", "/api/police/{staff_id}/card", "/api/grids/{grid_id}/letters",
            "/api/community/letters"} <= set(found)
    for path, (formats, content) in found.items():
        assert {MIMETYPES[name] for name in formats} <= set(content), path


def urls(world):
    grid, house = world.grid1.id, world.house1.id
    return [(world.head1, f"/api/grids/{grid}/coverage"), (world.head1, f"/api/grids/{grid}/returning"),
            (world.admin_a, "/api/figures/community"), (world.head1, f"/api/figures/grids/{grid}"),
            (world.admin_a, "/api/admin/houses/export"), (world.admin_a, "/api/admin/houses/template"),
            (world.head1, f"/api/households/{house}/letter"), (world.police1, f"/api/police/{world.police1.id}/card"),
            (world.head1, f"/api/grids/{grid}/letters"), (world.admin_a, "/api/community/letters")]


def test_a_format_an_endpoint_does_not_offer_is_refused_naming_format(client, world):
    """?format=xlsx on coverage used to answer JSON as if it had not been asked."""
    for who, url in urls(world):
        response = client.get(f"{url}?format=docx", headers=f.auth(who))
        assert response.status_code == 422, url
        assert response.json["message"].startswith("Invalid input: format: Must be one of"), url


def test_accept_chooses_when_format_is_not_given(client, world):
    url, head = f"/api/grids/{world.grid1.id}/coverage", f.auth(world.head1)
    assert client.get(url, headers=head).mimetype == "application/json"
    assert client.get(url, headers={**head, "Accept": XLSX}).mimetype == XLSX
    assert client.get(url, headers={**head, "Accept": "text/html,*/*;q=0.8"}).mimetype == "application/json"
    # format= wins over Accept
    assert client.get(f"{url}?format=json", headers={**head, "Accept": XLSX}).mimetype == "application/json"


def test_coverage_as_a_spreadsheet_a_row_per_unit_and_the_total(client, world):
    response = client.get(f"/api/grids/{world.grid1.id}/coverage?format=xlsx", headers=f.auth(world.head1))
    assert response.status_code == 200 and response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == 'attachment; filename="coverage-grid-1.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows == [("楼栋编号", "楼栋名称", "户数", "已登记户", "登记覆盖率"), (1, "1号楼", 2, 1, 0.5),
                    ("合计", None, 2, 1, 0.5)]
    assert client.get(f"/api/grids/{world.grid2.id}/coverage?format=xlsx",
                      headers=f.auth(world.head1)).status_code == 404


@pytest.mark.parametrize("who", ["leader", "wechat1"])
def test_coverage_sheet_is_for_grid_readers_only(client, world, who):
    response = client.get(f"/api/grids/{world.grid1.id}/coverage?format=xlsx", headers=f.auth(getattr(world, who)))
    assert response.status_code == 403

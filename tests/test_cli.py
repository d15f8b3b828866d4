"""The admin's `flask` commands as a person at a terminal sees them."""
from app.codes.services import current_code, reprint
from app.web.extensions import db


def test_show_link_prints_the_live_link_of_a_house_and_of_an_officer(runner, world, app):
    house = runner.invoke(args=["show-link", "--house", world.house1.code.lower()])
    assert house.exit_code == 0, house.output
    token = current_code(world.house1).token
    assert house.output.strip() == f"{app.config['PUBLIC_BASE_URL'].rstrip('/')}/s/{token}"
    assert runner.invoke(args=["show-link", "--house", world.house1.code]).output == house.output  # no reprint

    reprint(world.house1)
    db.session.commit()
    assert runner.invoke(args=["show-link", "--house", world.house1.code]).output != house.output

    card = runner.invoke(args=["show-link", "--officer", world.police1.username])
    assert card.output.strip().endswith(f"/c/{current_code(world.police1).token}")


def test_show_link_refuses_what_it_cannot_find(runner, world):
    assert "No house with code SQ-09-09-999" in runner.invoke(args=["show-link", "--house", "SQ-09-09-999"]).output
    refused = runner.invoke(args=["show-link", "--officer", world.head1.username])   # not a police officer
    assert refused.exit_code != 0 and "No police officer" in refused.output
    assert runner.invoke(args=["show-link"]).exit_code != 0


def test_import_houses_says_what_it_renamed_and_skipped(runner, world, tmp_path):
    sheet = tmp_path / "houses.csv"
    sheet.write_text("网格编号,网格名称,楼栋编号,楼栋名称,门牌号,地址,户主姓名,户主电话\n"
                     f"1,新一网格,1,一号楼,101,{world.house1.address},张三,13800138000\n"
                     "1,新一网格,1,一号楼,999,【示例】不要导入,李四,13800138001\n", encoding="utf-8")
    result = runner.invoke(args=["import-houses", "--community", "SQ", "--dry-run", str(sheet)])
    assert result.exit_code == 0, result.output
    assert "grid 1 renamed:" in result.output and "-> 新一网格" in result.output
    assert "row 3 skipped" in result.output
    assert "dry run" in result.output

"""`flask` commands: create communities and admins, import a house sheet, seed the demo community."""
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from app.admin.house_import import import_houses
from app.admin.house_sheet import read_sheet
from app.admin.staff import create_staff
from app.demo.community import DEMO_PASSWORD, seed_demo
from app.models import Community
from app.web.extensions import db
from app.web.refusals import Refusal


def _community(code: str) -> Community:
    community = db.session.scalar(select(Community).where(Community.code == code))
    if community is None:
        raise click.ClickException(f"No community with code {code}.")
    return community


@click.command("create-community")
@click.argument("code")
@click.argument("name")
def create_community(code, name):
    """Create a community with its short CODE (prefix of every house code) and NAME."""
    db.session.add(Community(code=code.upper(), name=name))
    db.session.commit()
    click.echo(f"Community {code.upper()} {name} created.")


@click.command("create-admin")
@click.option("--community", "code", required=True, help="Community code, e.g. SQ")
@click.option("--username", required=True)
@click.option("--name", default="社区管理员")
@click.password_option()
def create_admin(code, username, name, password):
    """Create a community admin account."""
    community = _community(code)
    create_staff(community.id, {"username": username, "password": password, "role": "admin", "name": name,
                                "grid_ids": [], "unit_ids": [], "household_ids": []},
                 current_app.config["PASSWORD_HASH_METHOD"])
    db.session.commit()
    click.echo(f"Admin {username} created for {community.name}.")


@click.command("import-houses")
@click.option("--community", "code", required=True, help="Community code, e.g. SQ")
@click.option("--dry-run", is_flag=True, help="Check the sheet and report, write nothing")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_houses_command(code, dry_run, sheet):
    """Import a house sheet (.xlsx or .csv) into a community."""
    try:
        rows = read_sheet(sheet.name, sheet.read_bytes())
    except Refusal as exc:
        raise click.ClickException(exc.text) from None
    result = import_houses(_community(code), rows, dry_run=dry_run)
    for error in result.errors:
        click.echo(f"row {error['row']}, {error['column']}: {error['message']}", err=True)
    if result.errors:
        raise click.ClickException(f"{len(result.errors)} error(s); nothing was imported.")
    for skipped in result.skipped:
        click.echo(f"row {skipped['row']} skipped: {skipped['message']}")
    for renamed in result.renamed:
        place = f"grid {renamed['grid']}" + (f" unit {renamed['unit']}" if "unit" in renamed else "")
        click.echo(f"{place} renamed: {renamed['from']} -> {renamed['to']}")
    for head in result.heads_changed:
        click.echo(f"{head['house']} head: {head['from']} -> {head['to']}")
    click.echo(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}, "
               f"new grids {result.grids_created}, new units {result.units_created}"
               + (" (dry run, nothing written)" if dry_run else ""))


@click.command("show-link")
@click.option("--house", "house_code", help="A house code, e.g. SQ-01-01-101")
@click.option("--officer", "username", help="A police officer's username")
def show_link(house_code, username):
    """Print the link in the QR code of a house's letter or an officer's card (issuing the first if none)."""
    from app.codes.services import code_for
    from app.models import Household, Role, Staff
    from qr.tokens import card_url, scan_url

    if bool(house_code) == bool(username):
        raise click.UsageError("Give one of --house or --officer.")
    base = current_app.config["PUBLIC_BASE_URL"]
    if house_code:
        house = db.session.scalar(select(Household).where(Household.code == house_code.upper()))
        if house is None:
            raise click.ClickException(f"No house with code {house_code}.")
        link = scan_url(base, code_for(house).token)
    else:
        officer = db.session.scalar(select(Staff).where(Staff.username == username, Staff.role == Role.POLICE))
        if officer is None:
            raise click.ClickException(f"No police officer with username {username}.")
        link = card_url(base, code_for(officer).token)
    db.session.commit()
    click.echo(link)


@click.command("seed-demo")
def seed_demo_command():
    """Seed the demo community shaped like Shengquan (once; a second run does nothing)."""
    if seed_demo(current_app.config["PASSWORD_HASH_METHOD"]):
        click.echo("Demo community 胜泉社区 (SQ) seeded: 512 households, 6 grids, 25 units.")
        click.echo(f"Sign in as admin, grid1..grid6, police or unit1 with password {DEMO_PASSWORD}.")
    else:
        click.echo("Demo community already present.")


@click.command("print-letters")
@click.option("--community", "code", required=True, help="Community code, e.g. SQ")
@click.option("--grid", type=int, help="Only this grid number")
@click.option("--size", type=click.Choice(["A4", "A5"]), default="A4", show_default=True)
@click.argument("output", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def print_letters(code, grid, size, output):
    """Write every family letter of a community (or one grid) into one PDF."""
    from app.letters.content import letters_for
    from app.models import Grid, Household
    from qr.letter import write_letters_pdf

    community = _community(code)
    condition = Household.community_id == community.id
    if grid is not None:
        grid_id = db.session.scalar(select(Grid.id).where(Grid.community_id == community.id, Grid.number == grid))
        if grid_id is None:
            raise click.ClickException(f"{community.name} has no grid {grid}.")
        condition = Household.grid_id == grid_id
    with output.open("wb") as out:
        pages = write_letters_pdf(letters_for(condition), out, size)
    click.echo(f"{pages} letters written to {output}.")


def register_commands(app):
    from app.notifications.worker import worker_command
    for command in (create_community, create_admin, import_houses_command, seed_demo_command, worker_command,
                    print_letters, show_link):
        app.cli.add_command(command)
    from app.requests.escalation import escalate_command
    app.cli.add_command(escalate_command)
    from app.privacy.reencrypt import reencrypt_command
    app.cli.add_command(reencrypt_command)

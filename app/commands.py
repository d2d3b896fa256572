"""Flask CLI commands: `flask seed`, `flask create-admin`."""
import click
from flask.cli import with_appcontext


@click.command("seed")
@click.option("--reset", is_flag=True, help="Delete all rows first and start over.")
@with_appcontext
def seed_command(reset):
    """Load the seed data set (a rerun adds nothing)."""
    from app.seed import run_seed

    run_seed(reset=reset, log=click.echo)


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--username", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin_command(email, username, password):
    """Create an admin account (asks for what the options do not give)."""
    from app.seed.admin import create_admin

    user = create_admin(email, username, password)
    click.echo(f"admin {user.username} (id {user.id}) created")


def register(app):
    """Attach the project's CLI commands to the app."""
    app.cli.add_command(seed_command)
    app.cli.add_command(create_admin_command)

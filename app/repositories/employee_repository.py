"""Queries on employee profiles."""
from sqlalchemy import select

from app.extensions import db
from app.models import Employee
from app.repositories.uniqueness import taken


def get_by_user_id(user_id):
    return db.session.scalar(select(Employee).where(Employee.user_id == user_id))


def employee_id_taken(employee_id, exclude_user_id=None):
    return taken(Employee.employee_id, employee_id, Employee.user_id, exclude_user_id)

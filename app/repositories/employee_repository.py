"""Queries on employee profiles."""
from sqlalchemy import select

from app.extensions import db
from app.models import Employee


def get_by_user_id(user_id):
    return db.session.scalar(select(Employee).where(Employee.user_id == user_id))


def employee_id_taken(employee_id, exclude_user_id=None):
    query = select(Employee.id).where(Employee.employee_id == employee_id)
    if exclude_user_id is not None:
        query = query.where(Employee.user_id != exclude_user_id)
    return db.session.scalar(query.limit(1)) is not None

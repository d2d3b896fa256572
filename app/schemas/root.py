"""Shapes of the service information and health answers."""
from marshmallow import Schema, fields


class ServiceIndexSchema(Schema):
    name = fields.String()
    version = fields.String()
    status = fields.String()
    endpoints = fields.Dict(keys=fields.String(), values=fields.String())
    documentation = fields.String()


class ApiIndexSchema(Schema):
    message = fields.String()
    version = fields.String()
    endpoints = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.String()))


class LivenessSchema(Schema):
    status = fields.String()


class ReadinessSchema(Schema):
    status = fields.String()
    database = fields.String()

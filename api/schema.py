"""OpenAPI details drf-spectacular cannot infer: the token scheme and the one error shape on every path."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_STATUSES = {
    "400": "Invalid request: `fields` maps each parameter or field to its errors.",
    "401": "Not signed in, or the token is unknown, expired or revoked.",
    "403": "Signed in, but this role may not see or do this, or the token lacks the scope it needs.",
    "404": "Not found, or outside what the caller may see.",
    "429": "Too many requests; the `Retry-After` header says after how many seconds to retry.",
}

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error has this shape. `message` is in Indonesian.",
    "properties": {
        "code": {
            "type": "string",
            "description": "Stable machine-readable code.",
            "enum": [
                "invalid",
                "parse_error",
                "not_authenticated",
                "authentication_failed",
                "permission_denied",
                "not_found",
                "method_not_allowed",
                "not_acceptable",
                "unsupported_media_type",
                "throttled",
            ],
        },
        "message": {"type": "string"},
        "fields": {
            "type": "object",
            "description": "Validation errors only: field (or `non_field_errors`) → messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "message"],
}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A token issued by Dinsos (admin → API tokens, or `manage.py create_api_token`), sent as "
                "`Authorization: Bearer <token>`. Its scopes say what it reads: `statistics:read` "
                "(`/statistik/`), `programs:read` (programs, companies), `households:read` (households, "
                "beneficiaries)."
            ),
        }


def add_error_responses(result, generator, request, public):
    """Document the error shape under every status the API may answer with."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    components.setdefault("responses", {}).update(
        {
            f"Error{status}": {
                "description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                **(
                    {"headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}}}
                    if status == "429"
                    else {}
                ),
            }
            for status, description in ERROR_STATUSES.items()
        }
    )
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status in ERROR_STATUSES:
                responses.setdefault(status, {"$ref": f"#/components/responses/Error{status}"})
    return result

//! JSON pointers into each side's file, per input version (Swagger 2.0 or OpenAPI 3).

use connector_spec::{Method, StatusCode};

/// Which pointer vocabulary a file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Swagger 2.0 (`definitions`, body parameters, `host`).
    Swagger2,
    /// OpenAPI 3.x (`components.schemas`, `requestBody`, `servers`).
    OpenApi3,
}

/// Escapes one reference token (RFC 6901).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A response status as written in a definition (`200`, `4XX`, `default`).
pub fn status_text(status: StatusCode) -> String {
    match status {
        StatusCode::Code(c) => c.to_string(),
        StatusCode::Range(r) => format!("{r}XX"),
        StatusCode::Default => "default".to_string(),
    }
}

impl Dialect {
    /// Guesses the dialect from the text: OpenAPI 3 declares `openapi`.
    pub fn sniff(text: &str) -> Dialect {
        let head: String = text.chars().take(4096).collect();
        if head.contains("\"openapi\"") || head.lines().any(|l| l.starts_with("openapi:")) {
            Dialect::OpenApi3
        } else {
            Dialect::Swagger2
        }
    }

    /// The operation object.
    pub fn operation(self, path: &str, method: Method) -> String {
        format!(
            "/paths/{}/{}",
            escape(path),
            method.as_str().to_ascii_lowercase()
        )
    }

    /// The operation's parameters array.
    pub fn parameters(self, op: &str) -> String {
        format!("{op}/parameters")
    }

    /// The request body's schema.
    pub fn body(self, op: &str, media_type: &str) -> String {
        match self {
            Dialect::Swagger2 => format!("{op}/parameters"),
            Dialect::OpenApi3 => format!("{op}/requestBody/content/{}/schema", escape(media_type)),
        }
    }

    /// One response.
    pub fn response(self, op: &str, status: StatusCode) -> String {
        format!("{op}/responses/{}", status_text(status))
    }

    /// One response's body schema.
    pub fn response_schema(self, response: &str, media_type: Option<&str>) -> String {
        match (self, media_type) {
            (Dialect::OpenApi3, Some(mt)) => format!("{response}/content/{}/schema", escape(mt)),
            _ => format!("{response}/schema"),
        }
    }

    /// A named schema.
    pub fn schema(self, name: &str) -> String {
        match self {
            Dialect::Swagger2 => format!("/definitions/{}", escape(name)),
            Dialect::OpenApi3 => format!("/components/schemas/{}", escape(name)),
        }
    }

    /// A security scheme (or the map of them with an empty name).
    pub fn security_scheme(self, name: &str) -> String {
        let base = match self {
            Dialect::Swagger2 => "/securityDefinitions".to_string(),
            Dialect::OpenApi3 => "/components/securitySchemes".to_string(),
        };
        if name.is_empty() {
            base
        } else {
            format!("{base}/{}", escape(name))
        }
    }

    /// Where the base URL is declared.
    pub fn base_url(self) -> &'static str {
        match self {
            Dialect::Swagger2 => "/host",
            Dialect::OpenApi3 => "/servers",
        }
    }
}

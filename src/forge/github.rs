//! GitHub: the repositories of an organisation or a user, from the REST API
//! (`GET /orgs/{org}/repos`, `GET /users/{user}/repos`), 100 per page.
use super::http::Api;
use super::{text, ForgeError, ForgeKind, ForgeRepo};

/// Whose repositories to list.
#[derive(Clone, Debug)]
pub enum GithubOwner {
    Org(String),
    User(String),
}

/// Every repository of `owner` (before filtering), in API order.
pub fn list(api: &Api, owner: &GithubOwner) -> Result<Vec<ForgeRepo>, ForgeError> {
    let (path, kind) = match owner {
        GithubOwner::Org(o) => (format!("orgs/{}/repos", segment(o)?), "all"),
        GithubOwner::User(u) => (format!("users/{}/repos", segment(u)?), "owner"),
    };
    let url = api.base.join(
        &path,
        &[("type", kind), ("per_page", "100"), ("sort", "full_name")],
    );
    api.get_all(url)?
        .iter()
        .map(|v| {
            let full_name = text(v, "full_name").ok_or_else(|| {
                ForgeError::Api("GitHub listed a repository without full_name".into())
            })?;
            let clone_url = text(v, "clone_url").ok_or_else(|| {
                ForgeError::Api(format!("GitHub listed {full_name} without clone_url"))
            })?;
            Ok(ForgeRepo {
                kind: ForgeKind::GitHub,
                web_url: text(v, "html_url").unwrap_or_default(),
                ssh_url: text(v, "ssh_url"),
                fork: v["fork"].as_bool().unwrap_or(false),
                archived: v["archived"].as_bool().unwrap_or(false),
                full_name,
                clone_url,
            })
        })
        .collect()
}

/// An organisation or user name as one URL path segment.
fn segment(name: &str) -> Result<String, ForgeError> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        && name != "."
        && name != "..";
    if ok {
        Ok(name.to_string())
    } else {
        Err(ForgeError::Api(format!(
            "{name:?} is not a GitHub organisation or user name (letters, digits, -, _ and .)"
        )))
    }
}

//! GitLab: the projects of a group and all its subgroups, from the REST API
//! (`GET /groups/{id}/projects?include_subgroups=true`), 100 per page.
use super::http::Api;
use super::{text, ForgeError, ForgeKind, ForgeRepo};

/// Every project of `group` and its subgroups (before filtering), in API order.
pub fn list(api: &Api, group: &str) -> Result<Vec<ForgeRepo>, ForgeError> {
    let group = group.trim_matches('/');
    if group.is_empty()
        || group
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Err(ForgeError::Api(format!(
            "{group:?} is not a GitLab group path (e.g. acme or acme/platform)"
        )));
    }
    // The group's full path is one segment, its slashes encoded.
    let id: String = url::form_urlencoded::byte_serialize(group.as_bytes()).collect();
    let url = api.base.join(
        &format!("groups/{id}/projects"),
        &[
            ("include_subgroups", "true"),
            ("with_shared", "false"),
            ("per_page", "100"),
            ("order_by", "id"),
            ("sort", "asc"),
        ],
    );
    api.get_all(url)?
        .iter()
        .map(|v| {
            let full_name = text(v, "path_with_namespace").ok_or_else(|| {
                ForgeError::Api("GitLab listed a project without path_with_namespace".into())
            })?;
            let clone_url = text(v, "http_url_to_repo").ok_or_else(|| {
                ForgeError::Api(format!(
                    "GitLab listed {full_name} without http_url_to_repo"
                ))
            })?;
            Ok(ForgeRepo {
                kind: ForgeKind::GitLab,
                web_url: text(v, "web_url").unwrap_or_default(),
                ssh_url: text(v, "ssh_url_to_repo"),
                fork: v.get("forked_from_project").is_some_and(|f| !f.is_null()),
                archived: v["archived"].as_bool().unwrap_or(false),
                full_name,
                clone_url,
            })
        })
        .collect()
}

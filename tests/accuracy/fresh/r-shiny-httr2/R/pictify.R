render_card <- function(title) {
  httr2::request("https://api.pictify.io/templates/og/render") |>
    httr2::req_auth_bearer_token("pk_live_qZuEf2S9kZzQmaOqbUhL5CQuF5VIT9KY") |>
    httr2::req_body_json(list(variables = list(title = title))) |>
    httr2::req_perform() |>
    httr2::resp_body_json()
}

variable "pictify_api_key" {
  type      = string
  sensitive = true
}
variable "region" { type = string }

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "pictify_api_key" {
  type        = string
  description = "Pictify API key for the render Lambda"
  sensitive   = true
  default     = "pk_live_zzHZriRfKAieQyRIIbL6ZDYrtKCg6AQj"
}

variable "stripe_publishable_key" {
  type    = string
  default = "pk_live_51d8nli1IUO2Ej8EBwYSCILGCsbH79KDNNdUWBihZEOkB4YqG4XAV1u6Z3ozZ1Y5E2IwGJW7Nm5mver9iDYqs0cfq00LLqZGie9"
}

library(shiny)
library(leaflet)

source("R/pictify.R")

mapbox_token <- "pk.eyJ1IjoiY2Npa25lb24iLCJhIjoidGxVVGZhb3RzY0JFQ3l1WFlxd2wzRW9aeSJ9.d5RAJYcLh1zSom6hiIE5zH"
pictify_key <- Sys.getenv("PICTIFY_API_KEY")

ui <- fluidPage(
  textInput("title", "Title"),
  actionButton("go", "Render"),
  leafletOutput("map"),
  uiOutput("card")
)

server <- function(input, output, session) {
  output$map <- renderLeaflet({
    leaflet() |> addTiles(urlTemplate = paste0("https://api.mapbox.com/styles/v1/mapbox/light-v11/tiles/{z}/{x}/{y}?access_token=", mapbox_token))
  })
  observeEvent(input$go, {
    card <- render_card(input$title)
    output$card <- renderUI(tags$img(src = card$results[[1]]$url))
  })
}

shinyApp(ui, server)

"""The API's routes, one router per area; handlers only call the store."""

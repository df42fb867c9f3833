# The policykg API (and loader) image. Used by docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph_loader ./graph_loader
COPY api ./api
COPY local_neo4j ./local_neo4j
COPY cypher ./cypher
COPY source_text ./source_text
RUN pip install --no-cache-dir -e .
ENV POLICYKG_HOST=0.0.0.0 POLICYKG_PORT=8000
EXPOSE 8000
CMD ["policykg", "serve"]

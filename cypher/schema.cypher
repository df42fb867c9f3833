// schema: constraints and indexes, created before the first MERGE of a load.
// Parameters: none. Result columns: none.
// One statement per `;`. Every label has a unique id; the full-text index uses
// Lucene's CJK analyzer (bigrams), which finds 大模型 inside 政务大模型.
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT project_id IF NOT EXISTS FOR (n:Project) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT section_id IF NOT EXISTS FOR (n:Section) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT measure_id IF NOT EXISTS FOR (n:Measure) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (n:Agency) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT goal_id IF NOT EXISTS FOR (n:Goal) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT topic_id IF NOT EXISTS FOR (n:Topic) REQUIRE n.id IS UNIQUE;
CREATE INDEX document_legacy_id IF NOT EXISTS FOR (n:Document) ON (n.legacy_id);
CREATE INDEX document_title IF NOT EXISTS FOR (n:Document) ON (n.title);
CREATE INDEX document_series IF NOT EXISTS FOR (n:Document) ON (n.series);
CREATE INDEX document_year IF NOT EXISTS FOR (n:Document) ON (n.year);
CREATE INDEX agency_name IF NOT EXISTS FOR (n:Agency) ON (n.name);
CREATE INDEX agency_kind IF NOT EXISTS FOR (n:Agency) ON (n.kind);
CREATE INDEX agency_jurisdiction IF NOT EXISTS FOR (n:Agency) ON (n.jurisdiction);
CREATE INDEX topic_name IF NOT EXISTS FOR (n:Topic) ON (n.name);
CREATE INDEX task_document IF NOT EXISTS FOR (n:Task) ON (n.document_id);
CREATE INDEX task_number IF NOT EXISTS FOR (n:Task) ON (n.number);
CREATE INDEX measure_document IF NOT EXISTS FOR (n:Measure) ON (n.document_id);
CREATE INDEX goal_document IF NOT EXISTS FOR (n:Goal) ON (n.document_id);
CREATE FULLTEXT INDEX plan_text IF NOT EXISTS FOR (n:Task|Measure) ON EACH [n.title, n.text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};

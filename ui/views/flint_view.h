// FLINT view (flint.md): the scores of a FLINT model (accuracy of f and g, fidelity, CNS(τ)),
// its global class x attribute relevance map, the local relevance of each attribute for one
// test example, and per attribute its maximum activating samples and AM+PI visualisation.
// "Attach to current model" trains a post-hoc interpreter on any MLP, CNN or FLINT model, or on
// a TorchScript model at the hidden layer chosen in the "Hidden layer" box.
#pragma once
#include "ui/views/view_page.h"
#include "ui/worker/results.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace senn::ui {

class BarChart;
class HeatmapView;
class ImageGrid;

class FlintView : public ViewPage {
    Q_OBJECT
public:
    explicit FlintView(QWidget* parent = nullptr);
    void setDataset(const DatasetSummary& summary);
    void setModel(const ModelSummary& summary);
    void setInterpretation(const train::FlintInterpretation& interpretation);
    void setVisualisation(int attribute, const std::vector<float>& pixels);
    void setRunning(bool running);

    void showExample(int index);       // index into the interpreted rows
    void showAttribute(int attribute); // 0-based
    int currentAttribute() const;
    bool hasInterpretation() const { return m_have; }
    const train::FlintInterpretation& interpretation() const { return m_in; }

    HeatmapView* globalMap() const { return m_global; }
    BarChart* localBars() const { return m_local; }
    ImageGrid* samples() const { return m_samples; }
    HeatmapView* visualisation() const { return m_am; }
    QComboBox* hiddenLayerBox() const { return m_layer; }

signals:
    void interpretRequested(int rows);
    // layer: the TorchScript child FLINT reads; empty for the app's own models.
    void attachRequested(int attributes, int epochs, const QString& layer);
    void visualiseRequested(int attribute, qint64 fromRow);

private:
    void updateScores();
    void updateSamples();
    void updateLayers();

    DatasetSummary m_data;
    ModelSummary m_model;
    train::FlintInterpretation m_in;
    bool m_have = false, m_running = false;
    QSpinBox *m_rows, *m_attributes, *m_epochs, *m_example, *m_attribute;
    QComboBox* m_layer;
    QLabel* m_layerLabel;
    QPushButton *m_interpret, *m_attach, *m_amButton;
    QLabel *m_scores, *m_exampleLabel, *m_attributeLabel;
    HeatmapView* m_global;
    BarChart* m_local;
    ImageGrid* m_samples;
    HeatmapView* m_am;
};

} // namespace senn::ui
